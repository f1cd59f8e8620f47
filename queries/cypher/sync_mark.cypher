// What the last sync left: a token (readers such as the API's answer cache know from it that the graph changed),
// the store it was synced from, the store's generation and that generation's batch token it was complete as of
// (null while a sync runs), whether it completed, when, and the base its IRIs start with.
MATCH (m:SyncMark)
RETURN m.token, m.store, m.generation, m.batch, m.complete, m.at, m.base_iri
