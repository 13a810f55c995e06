"""Monitoring rows written straight into a test site with the ORM (the services that write them are built
elsewhere): one query per state with its thread, SDV marks, a valid and a broken signature, a lifted and an
active lock. Times are fixed text, so tests can choose periods around them."""
from __future__ import annotations

from sqlalchemy import select

from ecrf.services.session import SiteSession
from ecrf.store.models import FormInstance, LockRow, QueryMessage, QueryRow, SdvMark, SignatureRow, Subject


def at(day: int, hour: int) -> str:
    return f"2026-06-{day:02d}T{hour:02d}:00:00.000000Z"


def add_query(db, subject: Subject, *, item: str, state: str, thread: list[tuple[str, str, str, str, str]],  # type: ignore[no-untyped-def]
              form: str = "DM", visit: str = "SCR", origin: str = "manual", check_key: str = "") -> QueryRow:
    """`thread`: (kind, author, role, time, text); an answer's response code is 'typing_error'."""
    row = QueryRow(subject_pk=subject.id, scope="item" if item else "form", visit_code=visit, form_code=form,
                   timepoint="", repeat=0, item_code=item, origin=origin, check_key=check_key, state=state,
                   raised_by=thread[0][1], raised_role=thread[0][2], raised_at=thread[0][3], updated_at=thread[-1][3])
    db.add(row)
    db.flush()
    for kind, author, role, when, text in thread:
        db.add(QueryMessage(query_pk=row.id, kind=kind, author=author, role=role, at_utc=when, text=text,
                            response_code="typing_error" if kind == "answered" else None))
    return row


def add_sdv(db, instance: FormInstance, item: str, *, when: str, by: str = "monitor",  # type: ignore[no-untyped-def]
            changed: str | None = None) -> None:
    db.add(SdvMark(form_pk=instance.id, item_code=item, state="changed_since_verified" if changed else "verified",
                   verified_at=when, verified_by=by, changed_at=changed))


def add_signature(db, subject: Subject, *, scope: str, form: str = "", visit: str = "", when: str,  # type: ignore[no-untyped-def]
                  broken: str | None = None, version: str = "1") -> None:
    db.add(SignatureRow(
        ceremony="c-" + when, subject_pk=subject.id, scope=scope, visit_code=visit, form_code=form, timepoint="",
        repeat=0, username="investigator", full_name="Investigator Tester",
        meaning_en="I have reviewed the data in this casebook and confirm that they are accurate and complete.",
        meaning_zh="本人已审阅本病例报告表中的数据，确认其准确、完整。", meaning_version=version, signed_at=when,
        data_hash="ab" * 32, key_id="0123456789abcdef", public_key="cd" * 32, signature="c2lnbmF0dXJl",
        state="broken" if broken else "valid", broken_at=broken, broken_reason="DM changed" if broken else None))


def add_lock(db, subject: Subject, *, scope: str, when: str, visit: str = "", form: str = "",  # type: ignore[no-untyped-def]
             unlocked: str | None = None) -> None:
    db.add(LockRow(subject_pk=subject.id, scope=scope, visit_code=visit, form_code=form, timepoint="", repeat=0,
                   locked_at=when, locked_by="investigator", active=unlocked is None, unlocked_at=unlocked,
                   unlocked_by="admin" if unlocked else None, unlock_reason="correction" if unlocked else None))


def monitor_subject(session: SiteSession, label: str) -> None:
    """A mid-trial subject: every kind of monitoring record once (see the module docstring)."""
    with session.database.write() as db:
        subject = db.scalars(select(Subject).where((Subject.screening_no == label)
                                                   | (Subject.subject_id == label))).one()
        dm = db.scalars(select(FormInstance).where(FormInstance.subject_pk == subject.id,
                                                   FormInstance.form_code == "DM")).one()
        ie = db.scalars(select(FormInstance).where(FormInstance.subject_pk == subject.id,
                                                   FormInstance.form_code == "IE")).one()
        add_sdv(db, dm, "ICVER", when=at(2, 9))
        add_sdv(db, dm, "RFICDAT", when=at(2, 9), changed=at(3, 10))
        add_sdv(db, ie, "IEIN01", when=at(2, 10))
        add_query(db, subject, item="ICVER", state="open",
                  thread=[("raised", "monitor", "monitor", at(2, 9), "Which consent version was signed?")])
        add_query(db, subject, item="RFICDAT", state="answered", thread=[
            ("raised", "monitor", "monitor", at(2, 9), "Consent date differs from the source"),
            ("answered", "nurse", "nurse", at(3, 10), "Typo, corrected")])
        add_query(db, subject, item="", form="IE", state="closed", thread=[
            ("raised", "monitor", "monitor", at(1, 9), "Eligibility not signed off"),
            ("answered", "nurse", "nurse", at(1, 12), "Signed now"),
            ("closed", "monitor", "monitor", at(2, 11), "Thank you")])
        add_query(db, subject, item="HEIGHT", state="cancelled", origin="auto", check_key="HEIGHT:soft-range",
                  thread=[("raised", "system", "system", at(1, 8), "Height outside the expected range"),
                          ("cancelled", "monitor", "monitor", at(2, 12), "Raised in error")])
        add_signature(db, subject, scope="form", form="DM", visit="SCR", when=at(2, 14), broken=at(3, 10))
        add_signature(db, subject, scope="subject", when=at(2, 14))
        add_lock(db, subject, scope="form", visit="SCR", form="IE", when=at(2, 15), unlocked=at(2, 16))
        add_lock(db, subject, scope="form", visit="SCR", form="IE", when=at(2, 17))
