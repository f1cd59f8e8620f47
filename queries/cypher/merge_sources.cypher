UNWIND $rows AS r
MERGE (s:Source {path: r.path})
SET s.sha256 = r.sha256
