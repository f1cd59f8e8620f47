"""ontology stage of legalkg."""
