"""graph stage of legalkg."""
