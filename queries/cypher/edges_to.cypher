// Edges into some nodes, of some relations, in a fixed order (the embedded store's), at most $limit.
UNWIND $iris AS iri
MATCH (b:Node {iri: iri})
MATCH (a:Node)-[e]->(b)
WHERE type(e) IN $types
RETURN a.iri AS src, type(e) AS rel, b.iri AS dst, e.source AS source, e.span_start AS start, e.span_end AS stop,
       e.rule AS rule
ORDER BY dst, rel, src, source, coalesce(start, -1)
LIMIT $limit
