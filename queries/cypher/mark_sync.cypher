MERGE (m:SyncMark {name: 'legalkg'})
SET m.token = $token, m.generation = $generation, m.at = $at
