"""api stage of legalkg."""
