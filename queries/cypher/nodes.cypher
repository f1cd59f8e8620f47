UNWIND $iris AS iri
MATCH (n:Node {iri: iri})
RETURN n.iri, n.kind, n.label, n.stub, n.props
