// Tasks that depend on $doc transitively (legalkg query depends-on DOC --transitive): they cite $doc, a document $doc
// amends or replaces (and so on), or a document that guides any of those. One path of AMENDS, REPLACES and GUIDES
// edges, each AMENDS or REPLACES walked forwards and each GUIDES backwards (the WHERE says which way each went).
MATCH (d:Node {iri: $doc})
MATCH p = (d)-[:AMENDS|REPLACES|GUIDES*0..]-(reason:Document)
WHERE all(i IN range(0, length(p) - 1) WHERE
          (type(relationships(p)[i]) = 'GUIDES') = (endNode(relationships(p)[i]) = nodes(p)[i]))
WITH DISTINCT d, reason
MATCH (task:Task)-[:DEPENDS_ON]->(reason)
OPTIONAL MATCH (task)-[:PART_OF]->(document:Document)
RETURN DISTINCT d.iri AS doc, task.iri AS task, reason.iri AS reason, document.iri AS document
