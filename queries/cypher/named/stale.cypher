// Ingested documents citing a document that another document amends, replaces or repeals (legalkg query stale),
// with both dates.
MATCH (changer:Document)-[:AMENDS|REPLACES|REPEALS]->(cited:Document)
MATCH (citing:Document)-[:CITES|BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|RELATED]->(cited)
WHERE citing.stub = false AND citing.iri <> changer.iri
RETURN DISTINCT citing.iri AS citing, cited.iri AS cited, changer.iri AS changer, citing.date AS citingDate,
       changer.date AS changeDate
