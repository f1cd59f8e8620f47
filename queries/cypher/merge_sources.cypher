UNWIND $rows AS r
MERGE (s:Source {path: r.path})
SET s.edges = r.digest
