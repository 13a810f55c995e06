"""Faults of the site database, each with a sentence a user can act on."""
from __future__ import annotations


class StoreError(Exception):
    """A problem with the database file; `message` says what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyOpen(StoreError):
    """Another ecrf window or process has the database open."""


class NotOurDatabase(StoreError):
    """The file is not an ecrf site database, or the key does not open it."""


class DatabaseDamaged(StoreError):
    """The file is ours but fails an integrity check."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full; the change was not saved."""


class ReadOnly(StoreError):
    """The database file or its folder cannot be written."""


class SiteExists(StoreError):
    """A new site would overwrite an existing database."""


class NoSite(StoreError):
    """There is no database at the given path."""
