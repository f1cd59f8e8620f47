"""legalkg: a knowledge graph of Vietnamese legal references.

The stages import as `legalkg.extract`, `legalkg.graph`, `legalkg.queries`, `legalkg.api`, `legalkg.viz` and
`legalkg.ontology`; the repository keeps one top-level folder per stage (pyproject.toml maps them).
"""
