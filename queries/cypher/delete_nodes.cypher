// Remove nodes the store no longer has, with their edges.
UNWIND $iris AS iri
MATCH (n:Node {iri: iri})
DETACH DELETE n
