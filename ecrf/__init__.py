"""ecrf: an offline desktop electronic case report form for clinical trials."""

__version__ = "0.1.0"
