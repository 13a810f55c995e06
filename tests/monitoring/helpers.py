"""Shared steps of the SDV and lock tests: a site with an enrolled subject, and rows the other monitoring
services (queries, e-signatures) would write, put in directly so these tests do not depend on them."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from subject_helpers import enrol

from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_subject
from ecrf.store.models import QueryRow, SignatureRow

IE_ALL = ("IEIN01", "IEIN02", "IEIN03", "IEEX01", "IEEX02", "IEEX03", "IEEX04", "IEEX05", "IEELIG")


@dataclass
class Site:
    sites: object
    db: object
    subject: str

    @contextmanager
    def user(self, username: str) -> Iterator[SiteSession]:
        """Logged in as `username` for the block (one session at a time may hold a site)."""
        session = self.sites.login(self.db, username)  # type: ignore[attr-defined]
        try:
            yield session
        finally:
            session.close()

    def ref(self, visit: str, form: str, timepoint: str = "", repeat: int = 0) -> FormRef:
        return FormRef(self.subject, visit, form, timepoint, repeat)


def site_with_subject(sites) -> Site:  # type: ignore[no-untyped-def]
    """A site whose investigator enrolled one subject: SCR/DM, SCR/IE and SCR/RAND saved complete."""
    db, _ = sites.make()
    investigator = sites.login(db, "investigator")
    try:
        subject = enrol(investigator)
    finally:
        investigator.close()
    return Site(sites, db, subject)


def add_query(session: SiteSession, ref: FormRef, state: str = "open", item: str = "") -> int:
    """A query row as the queries service would store it."""
    with session.database.write() as db:
        subject = find_subject(db, ref.subject)
        row = QueryRow(subject_pk=subject.id, scope="item" if item else "form", visit_code=ref.visit,
                       form_code=ref.form, timepoint=ref.timepoint, repeat=ref.repeat, item_code=item,
                       origin="manual", check_key="", state=state, raised_by="monitor", raised_role="monitor",
                       raised_at="2026-01-01T00:00:00.000000Z", updated_at="2026-01-01T00:00:00.000000Z")
        db.add(row)
        db.flush()
        return row.id


def add_signature(session: SiteSession, subject_label: str, scope: str, visit: str = "", form: str = "",
                  timepoint: str = "", repeat: int = 0) -> int:
    """A valid signature row as the e-signature service would store it (the signature bytes do not matter here)."""
    with session.database.write() as db:
        subject = find_subject(db, subject_label)
        row = SignatureRow(ceremony="c-1", subject_pk=subject.id, scope=scope, visit_code=visit, form_code=form,
                           timepoint=timepoint, repeat=repeat, username="investigator", full_name="Investigator",
                           meaning_en="m", meaning_zh="m", meaning_version="1",
                           signed_at="2026-01-01T00:00:00.000000Z", data_hash="0" * 64, key_id="k" * 16,
                           public_key="p" * 64, signature="s" * 88, state="valid")
        db.add(row)
        db.flush()
        return row.id


def signature_states(session: SiteSession) -> dict[int, tuple[str, str | None]]:
    with session.database.read() as db:
        return {row.id: (row.state, row.broken_reason) for row in db.query(SignatureRow)}
