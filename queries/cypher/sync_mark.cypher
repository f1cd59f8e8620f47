// What the last sync that changed the graph left: readers (the API's answer cache) know from its token that the
// graph changed.
MATCH (m:SyncMark)
RETURN m.token, m.generation, m.at
