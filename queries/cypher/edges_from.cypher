UNWIND $iris AS iri
MATCH (a:Node {iri: iri})
MATCH (a)-[e]->(b:Node)
WHERE type(e) IN $types
RETURN a.iri AS src, type(e) AS rel, b.iri AS dst, e.source AS source, e.span_start AS start, e.span_end AS stop,
       e.rule AS rule
ORDER BY src, rel, dst, source, coalesce(start, -1)
