// The conflicts and unresolved short forms read from the source files (JSON, graph.sync), or from one file.
MATCH (s:Source)
WHERE $path IS NULL OR s.path = $path
RETURN s.conflicts, s.unresolved
