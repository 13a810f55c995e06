"""A logged-in user on an open site: the door every service call goes through."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ecrf.services.errors import PermissionDenied, WrongStudy
from ecrf.services.permissions import Do, require
from ecrf.store import audit
from ecrf.store.audit import Change, Stamp
from ecrf.store.clock import Clock
from ecrf.store.database import Database
from ecrf.store.models import Site
from ecrf.study.model import Study


def slot_of(username: str) -> str:
    return f"user:{username}"


@dataclass
class Actor:
    username: str
    full_name: str
    role: str
    must_change_password: bool = False
    # The personal key that seals this user's transactions; unsealed from their key slot at login.
    signing_key: Ed25519PrivateKey | None = None

    def __repr__(self) -> str:  # never print a key
        return f"Actor({self.username!r}, role={self.role!r})"


class Tx:
    """One open write transaction: the changes and their audit events commit together or not at all."""

    def __init__(self, db: Session, database: Database, clock: Clock, actor: Actor) -> None:
        self.db = db
        self.database = database
        self.clock = clock
        self.actor = actor
        self._site: Site | None = None

    def audit(self, change: Change) -> None:
        audit.append(self.db, self.clock, self.actor.username, self.actor.role, change, site=self.site)

    def record(self, username: str, change: Change, stamp: Stamp) -> None:
        """An event that happened to someone not logged in (a failed login): it names the attempted account
        and keeps its own time; the seal at the end of this transaction is the recorder's."""
        audit.append(self.db, self.clock, username, "", change, stamp)

    def seal(self) -> None:
        """The last step of every write transaction: the actor signs the head it leaves."""
        if self.actor.signing_key is not None:
            audit.seal(self.db, self.clock, self.actor.username, self.actor.signing_key)

    def now_text(self) -> str:
        return self.clock.stamp()[0]

    @property
    def site(self) -> Site:
        """The site row, held for the whole transaction: the session's identity map keeps rows only while
        something refers to them, and every audit event and data-entry check reads this one (a save of several
        forms would otherwise read it from the database again for each)."""
        if self._site is None:
            self._site = self.db.get(Site, 1)
        assert self._site is not None
        return self._site


@contextmanager
def sealed_write(database: Database, clock: Clock, actor: Actor) -> Iterator[Tx]:
    """One write transaction that ends with the actor's seal (nothing is sealed if the body raises)."""
    with database.write() as db:
        tx = Tx(db, database, clock, actor)
        yield tx
        tx.seal()


class SiteSession:
    """What the UI and CLI hold after login. `touch()` on user activity; the UI asks `idle_expired()`
    on a timer and, when true, covers the window and calls `reauthenticate()` (see ecrf.services.auth)."""

    def __init__(self, database: Database, study: Study, actor: Actor, clock: Clock) -> None:
        self.database = database
        self.study = study
        self.actor = actor
        self.clock = clock
        self.locked = False
        # A continuous period of signing (21 CFR 11.200(a)(1)): after its first signature (username and
        # password) later ones need the password only. Locking, logging out and re-authenticating end it.
        self.esign_open = False
        self._last_activity = time.monotonic()
        with database.read() as db:
            site = db.get(Site, 1)
            assert site is not None
            self.site_code, self.idle_lock_minutes = site.site_code, site.idle_lock_minutes
            if site.study_oid != study.info.oid:
                raise WrongStudy("wrong-study", site_study=site.study_oid, loaded_study=study.info.oid)

    # -- permission and transactions ------------------------------------------------------

    def require(self, action: Do) -> None:
        if self.locked:
            raise PermissionDenied("session-locked")
        if self.actor.must_change_password and action is not Do.CHANGE_OWN_PASSWORD:
            raise PermissionDenied("temporary-password")
        require(self.actor.role, action)

    @contextmanager
    def write(self, action: Do) -> Iterator[Tx]:
        self.database.refuse_if_read_only()  # a site on read-only media: refused whatever the role
        self.require(action)
        self.touch()
        with sealed_write(self.database, self.clock, self.actor) as tx:
            yield tx

    @contextmanager
    def read(self, action: Do = Do.READ_DATA) -> Iterator[Session]:
        self.require(action)
        self.touch()
        with self.database.read() as db:
            yield db

    # -- idle auto-lock hook --------------------------------------------------------------

    def touch(self) -> None:
        self._last_activity = time.monotonic()

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_activity

    def idle_expired(self) -> bool:
        return self.idle_lock_minutes > 0 and self.idle_seconds() >= self.idle_lock_minutes * 60

    def close(self) -> None:
        self.database.close()
