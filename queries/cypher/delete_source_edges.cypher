// Remove what some source files contributed (changed or removed files), before their edges are written again.
MATCH ()-[e]->()
WHERE e.source IN $sources
DELETE e
