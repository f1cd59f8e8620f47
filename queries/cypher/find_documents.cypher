// Documents of a serial number, and of a year (in the number or the metadata) and a type when given.
MATCH (n:Document)
WHERE n.serial = $serial AND ($year IS NULL OR n.year = $year OR n.key CONTAINS $year_infix)
      AND ($type IS NULL OR n.type = $type)
RETURN n.iri, n.kind, n.label, n.stub, n.props
