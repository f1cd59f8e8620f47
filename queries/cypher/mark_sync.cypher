// The sync mark, set whole.
MERGE (m:SyncMark {name: 'legalkg'})
SET m.token = $token, m.store = $store, m.generation = $generation, m.batch = $batch, m.complete = $complete,
    m.at = $at, m.base_iri = $base_iri
