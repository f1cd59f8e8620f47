MERGE (m:SyncMark {name: 'legalkg'})
SET m.token = $token, m.store = $store, m.generation = $generation, m.complete = $complete, m.at = $at
