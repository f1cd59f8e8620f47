// Remove the edges of one relation ({rel}) that some source files contributed (changed or removed files), before
// their edges are written again; found by the index on the relationships' source.
MATCH ()-[e:{rel}]->()
WHERE e.source IN $sources
DELETE e
