// Upsert edges of one relation ({rel}: CITES, AMENDS, PART_OF … from the graph's own vocabulary). eid is a hash of
// the evidence (source, span, endpoints), so the same fact read twice in one file is two edges and re-running
// changes nothing.
UNWIND $rows AS r
MATCH (a:Node {iri: r.src})
MATCH (b:Node {iri: r.dst})
MERGE (a)-[e:{rel} {eid: r.eid}]->(b)
SET e.source = r.source, e.span_start = r.start, e.span_end = r.end, e.rule = r.rule
