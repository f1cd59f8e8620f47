// The sync mark, set whole, only while it still has the token $expected (a sync that started since keeps its own);
// a row back when it was set.
MATCH (m:SyncMark {name: 'legalkg'})
WHERE m.token = $expected
SET m.token = $token, m.store = $store, m.generation = $generation, m.batch = $batch, m.complete = $complete,
    m.at = $at, m.base_iri = $base_iri
RETURN m.token
