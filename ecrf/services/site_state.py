"""The site's state (open, frozen, locked) as refusals: a frozen site takes no data entry but still answers
queries and is verified; a locked one does nothing but reading and export. Kept apart from `locks` so that
every monitoring service can ask without importing the lock logic."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ecrf.services.errors import WrongState
from ecrf.services.session import Tx
from ecrf.store.models import Site
from ecrf.study.status import SiteState


def site_state(db: Session) -> SiteState:
    site = db.get(Site, 1)
    return SiteState(site.state) if site is not None else SiteState.OPEN


def data_entry_refusal(db: Session) -> WrongState | None:
    """Why no clinical data may be entered or changed at the site now, or None."""
    state = site_state(db)
    if state is SiteState.LOCKED:
        return WrongState("site-locked")
    if state is SiteState.FROZEN:
        return WrongState("site-frozen")
    return None


def refuse_data_entry(tx: Tx) -> None:
    refusal = data_entry_refusal(tx.db)
    if refusal is not None:
        raise refusal


def refuse_if_site_locked(tx: Tx) -> None:
    """For what a frozen site still does (verification, queries, signing, locking): refused once it is locked."""
    if site_state(tx.db) is SiteState.LOCKED:
        raise WrongState("site-locked")
