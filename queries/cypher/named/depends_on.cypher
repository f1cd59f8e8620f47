// Tasks that cite $doc (legalkg query depends-on DOC): each task, the reason it depends (here $doc itself) and its
// document. Paste into Neo4j Browser with :param doc => 'https://legalkg.example/eli/vn/nd/2021/107'.
MATCH (d:Node {iri: $doc})
MATCH (task:Task)-[:DEPENDS_ON]->(d)
OPTIONAL MATCH (task)-[:PART_OF]->(document:Document)
RETURN DISTINCT d.iri AS doc, task.iri AS task, d.iri AS reason, document.iri AS document
