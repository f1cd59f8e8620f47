MATCH (n:Node)
WHERE n.kind = $kind
RETURN n.iri, n.kind, n.label, n.stub, n.props
ORDER BY n.iri
