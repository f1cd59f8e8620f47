// Everything that reaches $doc backwards within three steps (legalkg query impact DOC), at its shortest distance:
// documents citing it in any way and tasks depending on it, then their tasks and citing documents, and the tasks'
// lead agencies one step further.
MATCH p = (n:Node)-[:CITES|BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|RELATED|DEPENDS_ON|PART_OF*1..3]->(d:Node {iri: $doc})
WHERE n.iri <> d.iri AND NOT n:Provision  // a document's provisions are part_of it, not what depends on it
WITH d, n, min(length(p)) AS distance
OPTIONAL MATCH (n)-[:ASSIGNED_TO]->(a:Agency)
WITH d, collect([n.iri, distance]) + collect(CASE WHEN distance < 3 THEN [a.iri, distance + 1] END) AS pairs
UNWIND pairs AS pair
WITH d, pair[0] AS node, min(pair[1]) AS distance
WHERE node IS NOT NULL
RETURN d.iri AS doc, node, distance
