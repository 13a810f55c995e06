"""Why an export stopped, in a sentence the user can act on."""
from __future__ import annotations


class ExportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ExportCancelled(ExportError):
    """The user cancelled: nothing was written that looks like a bundle."""
