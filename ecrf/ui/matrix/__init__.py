"""The subject matrix (home screen): subjects × visits, filters, search."""
