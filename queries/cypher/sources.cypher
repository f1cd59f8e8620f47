// The source files synced, with the digest of the edges they gave (SqliteStore.edge_digests).
MATCH (s:Source)
RETURN s.path, s.edges
