"""The `ecrf` command line: one module per command group, calling the same services as the app."""
from ecrf.cli.main import main

__all__ = ["main"]
