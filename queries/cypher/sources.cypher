// The source files synced, with their content hashes.
MATCH (s:Source)
RETURN s.path, s.sha256
