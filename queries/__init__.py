"""queries stage of legalkg."""
