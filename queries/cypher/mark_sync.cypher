// The sync mark, set whole; with $expected, only while it still has that token (a sync that started since keeps its
// own mark).
MERGE (m:SyncMark {name: 'legalkg'})
WITH m
WHERE $expected IS NULL OR m.token = $expected
SET m.token = $token, m.store = $store, m.generation = $generation, m.batch = $batch, m.complete = $complete,
    m.at = $at
