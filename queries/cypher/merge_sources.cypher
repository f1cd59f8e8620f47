UNWIND $rows AS r
MERGE (s:Source {path: r.path})
SET s.digest = r.digest, s.conflicts = r.conflicts, s.unresolved = r.unresolved
