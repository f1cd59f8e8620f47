// Every node and its content hash: what an incremental sync compares with the store.
MATCH (n:Node)
RETURN n.iri, n.h
