"""viz stage of legalkg."""
