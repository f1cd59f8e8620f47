MATCH (n:Agency)
WHERE $folded IN n.folded
RETURN n.iri, n.kind, n.label, n.stub, n.props
