// How many distinct nodes have an edge of one of the relations into one of the nodes (count what is meant:
// DISTINCT sources, not paths).
UNWIND $iris AS iri
MATCH (b:Node {iri: iri})
MATCH (a:Node)-[e]->(b)
WHERE type(e) IN $types
RETURN count(DISTINCT a.iri)
