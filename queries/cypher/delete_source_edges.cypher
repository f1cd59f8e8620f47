// Remove what one source file contributed (a changed or removed file), before its edges are written again.
UNWIND $sources AS path
MATCH ()-[e]->()
WHERE e.source = path
DELETE e
