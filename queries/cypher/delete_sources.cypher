UNWIND $paths AS path
MATCH (s:Source {path: path})
DELETE s
