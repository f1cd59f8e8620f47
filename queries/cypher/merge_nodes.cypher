// Upsert nodes of one kind ({kind}: Document, Agency, Task, Person — from the graph's own vocabulary, never user
// text). Every node is also a :Node, whose iri is unique. props is the node's JSON; the scalars beside it are what
// lookups filter on. h is a hash of all of it: an incremental sync skips nodes whose h is unchanged.
UNWIND $rows AS r
MERGE (n:Node:{kind} {iri: r.iri})
ON CREATE SET n.kind = r.kind
SET n.label = r.label, n.stub = r.stub, n.key = r.key, n.serial = r.serial, n.year = r.year, n.type = r.type,
    n.place = r.place, n.date = r.date, n.due = r.due, n.props = r.props, n.folded = r.folded, n.h = r.h
