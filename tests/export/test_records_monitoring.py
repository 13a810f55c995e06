"""The monitoring tables read into export records: per subject, threads in order, each table read once."""
from __future__ import annotations

import json
import zipfile

import pytest
from conftest import ADMIN_PASSWORD
from sqlalchemy import event

from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import export_records, integrity
from ecrf.services.auth import login
from ecrf.services.errors import IntegrityAlarm
from ecrf.services.export import export_bundle
from ecrf.store.models import Site
from tests.export.monitoring_rows import at, monitor_subject
from tests.subject_helpers import screen


@pytest.fixture
def monitored_site(sites):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    nurse = sites.login(db_path, "nurse")
    labels = [screen(nurse) for _ in range(3)]
    monitor_subject(nurse, labels[1])
    return nurse, labels


@pytest.mark.req("EXPORT-COMPLETE")
def test_each_subject_carries_its_own_monitoring_records(monitored_site, study) -> None:  # type: ignore[no-untyped-def]
    session, labels = monitored_site
    with session.read() as db:
        records = {s.label: s for s in export_records.iter_subjects(db, study)}
    plain, monitored = records[labels[0]], records[labels[1]]
    assert (plain.queries, plain.sdv, plain.signatures, plain.locks) == ((), (), (), ())
    assert [(q.item or q.form, q.state, q.origin) for q in monitored.queries] == [
        ("ICVER", "open", "manual"), ("RFICDAT", "answered", "manual"), ("IE", "closed", "manual"),
        ("HEIGHT", "cancelled", "auto")]
    assert all(q.query_id.startswith("Q-") and q.subject == labels[1] for q in monitored.queries)
    closed = monitored.queries[2]
    assert [(m.kind, m.author, m.at_utc) for m in closed.messages] == [
        ("raised", "monitor", at(1, 9)), ("answered", "nurse", at(1, 12)), ("closed", "monitor", at(2, 11))]
    assert closed.messages[1].response_code == "typing_error" and closed.messages[0].response_code is None
    assert {m.query_id for m in closed.messages} == {closed.query_id}
    # SDV in form order (DM before IE), items in the form's order (RFICDAT before ICVER)
    assert [(s.form, s.item, s.state) for s in monitored.sdv] == [
        ("DM", "RFICDAT", "changed_since_verified"), ("DM", "ICVER", "verified"), ("IE", "IEIN01", "verified")]
    assert [(s.scope, s.state, s.broken_at) for s in monitored.signatures] == [
        ("form", "broken", at(3, 10)), ("subject", "valid", None)]
    assert [(lock.active, lock.unlock_reason) for lock in monitored.locks] == [(False, "correction"), (True, None)]


def test_the_tables_are_read_once_whatever_the_number_of_subjects(monitored_site, study) -> None:  # type: ignore[no-untyped-def]
    session, _ = monitored_site
    statements: list[str] = []
    with session.read() as db:
        event.listen(db.get_bind(), "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        list(export_records.iter_subjects(db, study))
    for table in ("sdv_marks", "query_messages", "signatures", "locks"):
        assert sum(f"FROM {table}" in s or f"JOIN {table}" in s for s in statements) == 1, table


def test_site_facts_carry_the_site_state_and_meanings_are_listed_once(monitored_site) -> None:  # type: ignore[no-untyped-def]
    session, _ = monitored_site
    with session.database.write() as db:
        db.get_one(Site, 1).state = "frozen"
    with session.read() as db:
        assert export_records.site_facts(db).state == "frozen"
        [meaning] = export_records.signature_meanings(db)
    assert meaning.version == "1" and meaning.zh.startswith("本人")


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.req("EXPORT-COMPLETE")
def test_a_bundle_with_monitoring_verifies_and_holds_it(monitored_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session, labels = monitored_site
    out = tmp_path / "out"
    out.mkdir()
    # The monitoring rows here were written straight into the tables, with no audit events: the site's trail
    # check finds them and the export waits for an administrator's reason, which the bundle then carries.
    with pytest.raises(IntegrityAlarm):
        export_bundle(session, out)
    db_path = session.database.paths.db
    session.close()
    admin = login(db_path, session.study, "admin", ADMIN_PASSWORD)
    try:
        integrity.acknowledge(admin, "test rows written without the services")
    finally:
        admin.close()
    session = login(db_path, session.study, "nurse", "nurse-password-1")
    result = export_bundle(session, out)
    verdict = verify_bundle(result.path)
    # The sponsor's check finds what the site's found (the monitoring rows the trail does not account for), and
    # the signature rows were made with nobody's personal key: it refuses exactly those (real signatures verify:
    # tests/test_verify_esign.py).
    signatures = [p for p in verdict.problems if p.startswith("csv/signatures.csv") and "does not verify" in p]
    replay = [p for p in verdict.problems if p.startswith("audit trail:") and "but the trail leads to" in p]
    assert signatures and replay and len(signatures) + len(replay) == len(verdict.problems), verdict.problems
    session.close()
    with zipfile.ZipFile(result.path) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        messages = bundle.read("csv/query_messages.csv").decode()
        odm = bundle.read("odm.xml").decode()
    assert (manifest["format_version"], manifest["site"]["state"]) == ("1.2", "open")
    assert {key: manifest["counts"][key] for key in ("queries", "query_messages", "sdv", "signatures", "locks")} \
        == {"queries": 4, "query_messages": 8, "sdv": 3, "signatures": 2, "locks": 2}
    assert "Eligibility not signed off" in messages
    assert 'SignatureOID="SD.INVESTIGATOR.1"' in odm
