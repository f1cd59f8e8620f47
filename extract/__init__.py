"""extract stage of legalkg."""
