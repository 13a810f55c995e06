"""A database made by the first schema (committed fixture, see tests/make_schema_fixture.py) opens with
the current code, is migrated to the head revision and keeps all its data; the ORM models match the
schema the migrations make."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select

from ecrf.services import audit_trail, auth
from ecrf.services.errors import LoginFailed
from ecrf.services.subject_data import find_subject, load_subject_data
from ecrf.store.database import create_database, open_database
from ecrf.store.engine import make_engine
from ecrf.store.keyslots import KeySlots
from ecrf.store.migrate import current_revision, head_revision
from ecrf.store.models import (
    AllocationSlot,
    AuditEvent,
    Base,
    FormInstance,
    ItemValue,
    Site,
    Subject,
    User,
    VisitRow,
)

pytestmark = pytest.mark.req("STORE-MIGRATE")
FIXTURE = Path(__file__).resolve().parent / "data" / "schema-0001"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text("utf-8"))
PASSWORDS: dict[str, str] = EXPECTED["passwords"]


@pytest.fixture
def old_site(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the committed database (the test must never change the fixture itself)."""
    for name in ("site.db", "site.keys"):
        shutil.copyfile(FIXTURE / name, tmp_path / name)
    return tmp_path / "site.db"


def read_all(db_path: Path) -> dict[str, object]:
    """The same facts as tests/make_schema_fixture.py records, read with the current models."""
    database = open_database(db_path, "user:admin", PASSWORDS["admin"])
    try:
        with database.read() as db:
            site = db.get(Site, 1)
            assert site is not None
            return {
                "site": {"db_id": site.db_id, "study_oid": site.study_oid, "site_code": site.site_code,
                         "audit_head_seq": site.audit_head_seq, "audit_head_hash": site.audit_head_hash},
                "users": {u.username: [u.role, u.active] for u in db.scalars(select(User).order_by(User.id))},
                "subjects": [[s.screening_no, s.subject_id, s.status, s.arm, s.rand_no, s.day0] for s in
                             db.scalars(select(Subject).order_by(Subject.id))],
                "forms": [[f.subject_pk, f.visit_code, f.form_code, f.timepoint, f.repeat, f.status] for f in
                          db.scalars(select(FormInstance).order_by(FormInstance.id))],
                "values": [[v.form_pk, v.item_code, v.value, v.missing] for v in
                           db.scalars(select(ItemValue).order_by(ItemValue.id))],
                "visits": len(db.scalars(select(VisitRow)).all()),
                "allocation_used": [a.rand_no for a in db.scalars(
                    select(AllocationSlot).where(AllocationSlot.subject_pk.is_not(None)).order_by(AllocationSlot.seq))],
                "events": [[e.seq, e.action, e.username, e.hash] for e in
                           db.scalars(select(AuditEvent).order_by(AuditEvent.seq))],
            }
    finally:
        database.close()


def schema_differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_fixture_is_a_database_of_the_first_schema(old_site):
    assert EXPECTED["revision"] == "0001"
    key = KeySlots.load(old_site.with_suffix(".keys")).unlock("user:admin", PASSWORDS["admin"])
    engine = make_engine(old_site, key)  # opened without migrating
    try:
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()
    assert not old_site.read_bytes().startswith(b"SQLite format 3")


def test_an_old_database_opens_migrates_and_keeps_its_data(old_site, study):
    session = auth.login(old_site, study, "admin", PASSWORDS["admin"])
    try:
        assert current_revision(session.database.engine) == head_revision()
        report = audit_trail.verify(session)
        assert report.ok, report.problem
        assert session.database.integrity_problems() == []
    finally:
        session.close()
    found = read_all(old_site)
    events = found.pop("events")
    want = {k: v for k, v in EXPECTED.items() if k not in ("note", "revision", "passwords")}
    want_events = want.pop("events")
    assert {k: found[k] for k in want if k != "site"} == {k: v for k, v in want.items() if k != "site"}
    # the trail is the old one, continued: the old events unchanged, then this login (and any migration)
    assert events[:len(want_events)] == want_events
    assert "login" in [action for _, action, _, _ in events[len(want_events):]]
    assert found["site"]["db_id"] == want["site"]["db_id"]


def test_an_old_database_reads_back_typed_values_and_its_users_log_in(old_site, study):
    session = auth.login(old_site, study, "investigator", PASSWORDS["investigator"])
    try:
        with session.read() as db:
            data = load_subject_data(db, study, find_subject(db, "CN01-001"))
        assert data.value("SCR", "DM", "AGE") == 51
        assert str(data.value("SCR", "DM", "HEIGHT")) == "158.5"
        assert data.value("SCR", "IE", "IEIN01") == "Y"
    finally:
        session.close()
    auth.login(old_site, study, "nurse", PASSWORDS["nurse"]).close()
    with pytest.raises(LoginFailed):  # deactivated in the old database: still no key slot
        auth.login(old_site, study, "monitor", PASSWORDS["monitor"])


def test_the_models_match_the_schema_of_the_migrations(tmp_path):
    database, _ = create_database(tmp_path / "fresh.db")
    try:
        assert current_revision(database.engine) == head_revision()
        assert schema_differences(database.engine) == []
    finally:
        database.close()


def test_the_models_match_a_migrated_old_database(old_site):
    database = open_database(old_site, "user:admin", PASSWORDS["admin"])  # migrates
    try:
        assert schema_differences(database.engine) == []
    finally:
        database.close()
