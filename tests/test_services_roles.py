"""Every role × every service call: allowed by the role table and done, or refused with a message that names
the role and who may, and nothing written (21 CFR 11.10(g))."""
from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, SiteMaker
from subject_helpers import (
    enrol,
    events_after,
    last_seq,
    password_of,
    screen,
)

from ecrf.services import (
    allocation,
    audit_trail,
    audit_trail_export,
    auth,
    auto_queries,
    backup,
    backup_status,
    charts,
    editing,
    esign,
    esign_views,
    export,
    form_monitoring,
    forms,
    locks,
    logs,
    monitoring_view,
    overview,
    queries,
    sdv,
    signing,
    site_settings,
    sponsor_queries,
    subjects,
    users,
)
from ecrf.services.audit_trail import TrailFilter
from ecrf.services.auth import MAX_FAILURES, login
from ecrf.services.errors import AccountLocked, LoginFailed, PermissionDenied
from ecrf.services.permissions import ALLOWED, ROLE_NAMES, Do
from ecrf.services.queries import QueryPlace
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import ResponseCode, Scope, SubjectStatus
from ecrf.trail.esign import Place

pytestmark = pytest.mark.req("P11.10g")

USERNAME = {"site_admin": "admin", "investigator": "investigator", "nurse": "nurse", "monitor": "monitor",
            "read_only": "reader"}


@dataclass
class World:
    """One site per role, prepared so that every call would succeed if the role may make it."""

    role: str
    session: SiteSession
    password: str
    folder: Path
    screened: list[str]  # eligible, in screening: [to allocate from the list, manually, from the list in a batch]
    enrolled: list[str]  # [to end participation, to enter data into (has AE entry #1)]
    notes: dict[str, object] = field(default_factory=dict)


def _prepare(maker: SiteMaker, folder: Path, role: str) -> World:
    # The site admin's site has no allocation list yet, so that importing one can succeed there; the admin
    # cannot allocate, so the list is not needed for anything else on that site.
    db_path, _ = maker.make(allocation=role != "site_admin")
    admin = maker.login(db_path, "admin")
    try:
        for name in ("leaver", "forgetful", "promoted", "locked"):
            users.add_user(admin, name, f"{name.title()} Tester", "nurse", password=f"{name}-password-1")
    finally:
        admin.close()
    for _ in range(MAX_FAILURES):  # "locked" is locked out, so that lifting the lock can succeed
        with contextlib.suppress(LoginFailed, AccountLocked):
            login(db_path, maker.study, "locked", "not-the-password")
    investigator = maker.login(db_path, "investigator")
    try:
        screened = [screen(investigator) for _ in range(3)]
        enrolled = [enrol(investigator, manual=("CTRL", f"M{n:03d}")) for n in (1, 2)]
        logs.add_log_entry(investigator, enrolled[1], "AE", {"AETERM": "Headache"})
    finally:
        investigator.close()
    monitor = maker.login(db_path, "monitor")
    try:  # source data verified, so that the form can be locked
        sdv.verify_form(monitor, FormRef(enrolled[1], "SCR", "DM"))
    finally:
        monitor.close()
    username, notes = USERNAME[role], _queries(maker, db_path, enrolled[1])
    return World(role, maker.login(db_path, username, password_of(username)), password_of(username), folder,
                 screened, enrolled, notes)


def _queries(maker: SiteMaker, db_path: Path, label: str) -> dict[str, object]:
    """Queries on the subject's screening vital signs in each state a query step starts from (not on the
    demographics, which other calls sign and lock: open queries would stand in their way)."""
    monitor = maker.login(db_path, "monitor")
    try:
        place = QueryPlace.on_form(FormRef(label, "SCR", "VS"))
        ids = {name: queries.raise_query(monitor, place, f"Query to {name}.") for name in
               ("answer", "close", "cancel", "reopen")}
    finally:
        monitor.close()
    nurse = maker.login(db_path, "nurse")
    try:
        for name in ("close", "reopen"):
            queries.answer_query(nurse, ids[name], "Checked.", ResponseCode.CONFIRMED_CORRECT)
    finally:
        nurse.close()
    return dict(ids)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory, study) -> Iterator[Callable[[str], World]]:  # type: ignore[no-untyped-def]
    made: dict[str, World] = {}

    def world(role: str) -> World:
        if role not in made:
            folder = tmp_path_factory.mktemp(f"roles-{role}")
            made[role] = _prepare(SiteMaker(folder, study), folder, role)
        return made[role]

    yield world
    for made_world in made.values():
        made_world.session.close()


# -- the service calls --------------------------------------------------------------------------------

def _change_own_password(w: World) -> None:
    auth.change_own_password(w.session, w.password, w.password + "-new")
    w.password += "-new"


def _lock_and_unlock(w: World) -> None:
    auth.lock(w.session)
    assert w.session.locked
    auth.reauthenticate(w.session, w.password)
    assert not w.session.locked


def _log_out_and_in(w: World) -> None:
    db_path, study = w.session.database.paths.db, w.session.study
    auth.log_out(w.session)
    w.session = auth.login(db_path, study, USERNAME[w.role], w.password)


def _backup(w: World) -> None:
    info = backup.backup(w.session, w.folder / "backup.zip")
    assert info.path.exists()


def _eligibility(w: World) -> None:
    assert subjects.eligibility(w.session, w.screened[1]).eligible is True


def _verify(w: World) -> None:
    assert audit_trail.verify(w.session).ok


def _events(w: World) -> None:
    assert audit_trail.events(w.session, limit=5)


def _item_history(w: World) -> None:
    history = audit_trail.item_history(w.session, FormRef(w.enrolled[1], "SCR", "DM"), "SEX")
    assert [e.new_value for e in history] == ["M"]


def _export(w: World) -> None:
    out = w.folder / "bundles"
    out.mkdir(exist_ok=True)
    assert export.export_bundle(w.session, out).path.exists()


def _certify_and_sign(w: World) -> None:
    esign.certify(w.session, w.password)
    esign.preview(w.session, w.enrolled[1], Scope.FORM, ref=Place("SCR", "DM"))
    esign.sign(w.session, w.enrolled[1], Scope.FORM, ref=Place("SCR", "DM"), username=w.session.actor.username,
               password=w.password)


def _confirm_password(w: World) -> None:
    auth.confirm_password(w.session, w.password, "a test")


def _list_users(w: World) -> None:
    assert {"admin", "nurse", "reader"} <= {u.username for u in users.list_users(w.session)}


def _unverify(w: World) -> None:
    sdv.verify_items(w.session, FormRef(w.enrolled[0], "SCR", "DM"), ["RFICDAT"])
    sdv.unverify(w.session, FormRef(w.enrolled[0], "SCR", "DM"), ["RFICDAT"], "wrong source document")


def _sponsor_identity(w: World):  # type: ignore[no-untyped-def]
    import tempfile
    from datetime import UTC, datetime

    from ecrf.merge.query_bundle.sponsor_key import create_sponsor_key

    return create_sponsor_key(Path(tempfile.mkdtemp(dir=w.folder)), "sponsor passphrase", "ACME", datetime.now(UTC))


def _register_sponsor(w: World) -> None:
    identity = _sponsor_identity(w)
    registered = sponsor_queries.register_sponsor_certificate(w.session, identity.certificate_pem.encode("ascii"))
    assert registered.fingerprint == identity.fingerprint


def _import_sponsor_queries(w: World) -> None:
    """The sponsor's query bundle for this site, signed by the key just registered, imported."""
    import tempfile

    from ecrf.merge.query_bundle.manifest import BundledQuery, BundledStep, QueryBundle
    from ecrf.merge.query_bundle.signed import write_query_bundle
    from ecrf.store.models import Site

    with w.session.database.read() as db:  # the test reads the site's names itself, whatever the role
        site = db.get_one(Site, 1)
        names = (site.study_oid, site.definition_fingerprint, site.site_code, site.db_id)
    identity = _sponsor_identity(w)
    query = BundledQuery("SQ-0001", w.enrolled[1], "form", "SCR", "VS", "", 0, "",
                         (BundledStep("raised", "dm.lee", "2026-12-01T09:00:00Z", "Please check."),))
    path, _ = write_query_bundle(QueryBundle(*names, 1, "2026-12-01T09:00:00Z", "ACME", (query,)), identity,
                                 Path(tempfile.mkdtemp(dir=w.folder)))
    sponsor_queries.register_sponsor_certificate(w.session, identity.certificate_pem.encode("ascii"))
    assert sponsor_queries.import_query_bundle(w.session, path).raised


def _lock_and_unlock_form(w: World) -> None:
    lock_id = locks.lock(w.session, w.enrolled[1], Scope.FORM, ref=FormRef(w.enrolled[1], "SCR", "DM"))
    assert [info.id for info in locks.active_locks(w.session, w.enrolled[1])] == [lock_id]
    locks.unlock(w.session, lock_id, "correction needed")


def _freeze_lock_reopen_site(w: World) -> None:
    locks.freeze_site(w.session, "before the final export")
    locks.lock_site(w.session, "final export done")
    locks.reopen_site(w.session, "the sponsor asked for a correction")


@dataclass(frozen=True)
class Call:
    name: str  # the service function(s), module.function
    action: Do  # what the role table must allow
    run: Callable[[World], object]
    event: str | None  # the audit event an allowed call appends; None for a read

    def __str__(self) -> str:
        return self.name


def _import_allocation_file(w: World) -> int:
    path = w.folder / "allocation.csv"
    path.write_text("rand_no,arm\nA001,MSC\nA002,CTRL\n", encoding="utf-8")
    return allocation.import_allocation_file(w.session, path)


CALLS = [
    Call("users.add_user", Do.MANAGE_USERS,
         lambda w: users.add_user(w.session, "newcomer", "New Comer", "nurse"), "user_added"),
    Call("users.deactivate_user", Do.MANAGE_USERS,
         lambda w: users.deactivate_user(w.session, "leaver", "left the study team"), "user_deactivated"),
    Call("users.reset_password", Do.MANAGE_USERS,
         lambda w: users.reset_password(w.session, "forgetful", "forgot the password"), "password_reset"),
    Call("users.change_role", Do.MANAGE_USERS,
         lambda w: users.change_role(w.session, "promoted", "investigator", "appointed sub-investigator"),
         "role_changed"),
    Call("users.list_users", Do.MANAGE_USERS, _list_users, None),
    Call("subjects.screen_subject", Do.SCREEN, lambda w: subjects.screen_subject(w.session), "subject_screened"),
    Call("subjects.screen_subjects", Do.SCREEN, lambda w: subjects.screen_subjects(w.session, 2), "subject_screened"),
    Call("allocation.import_allocation_file+subjects.import_allocation_list", Do.IMPORT_ALLOCATION,
         _import_allocation_file, "allocation_list_imported"),
    # Everyone may see whether the list is there (CHANGE_OWN_PASSWORD: the action every role has).
    Call("allocation.allocation_state", Do.CHANGE_OWN_PASSWORD, lambda w: allocation.allocation_state(w.session),
         None),
    Call("users.unlock_account", Do.MANAGE_USERS,
         lambda w: users.unlock_account(w.session, "locked", "called, recognised"), "account_unlocked"),
    Call("backup_status.last_backup", Do.BACKUP, lambda w: backup_status.last_backup(w.session), None),
    Call("subjects.allocate", Do.ALLOCATE, lambda w: subjects.allocate(w.session, w.screened[0]), "allocated"),
    Call("subjects.allocate_all", Do.ALLOCATE, lambda w: subjects.allocate_all(w.session, [(w.screened[2], None)]),
         "allocated"),
    Call("subjects.allocate_manually", Do.ALLOCATE_MANUALLY,
         lambda w: subjects.allocate_manually(w.session, w.screened[1], "MSC", "M100", "list not reachable"),
         "allocated"),
    Call("subjects.end_participation", Do.END_PARTICIPATION,
         lambda w: subjects.end_participation(w.session, w.enrolled[0], SubjectStatus.WITHDRAWN, app_clock.today(),
                                              "withdrew consent"), "participation_ended"),
    Call("subjects.eligibility", Do.READ_DATA, _eligibility, None),
    Call("forms.save_form", Do.ENTER_DATA,
         lambda w: forms.save_form(w.session, FormRef(w.enrolled[1], "D0", "VS"),
                                   {"VSDAT": app_clock.today().isoformat(), "PULSE": "80"}), "value"),
    Call("logs.add_log_entry", Do.ENTER_DATA,
         lambda w: logs.add_log_entry(w.session, w.enrolled[1], "AE", {"AETERM": "Nausea"}), "log_entry_added"),
    Call("logs.add_log_entries", Do.ENTER_DATA,
         lambda w: logs.add_log_entries(w.session, [logs.LogEntrySave(w.enrolled[1], "AE", {"AETERM": "Rash"})]),
         "log_entry_added"),
    Call("logs.remove_log_entry", Do.ENTER_DATA,
         lambda w: logs.remove_log_entry(w.session, w.enrolled[1], "AE", 1, "entered for the wrong subject"),
         "log_entry_removed"),
    Call("audit_trail.verify", Do.VERIFY_AUDIT, _verify, None),
    Call("audit_trail.events", Do.READ_AUDIT, _events, None),
    Call("audit_trail.item_history", Do.READ_DATA, _item_history, None),
    Call("audit_trail.page", Do.READ_AUDIT, lambda w: audit_trail.page(w.session, TrailFilter(), size=5), None),
    Call("audit_trail.count", Do.READ_AUDIT, lambda w: audit_trail.count(w.session, TrailFilter()), None),
    Call("audit_trail.choices", Do.READ_AUDIT, lambda w: audit_trail.choices(w.session), None),
    Call("audit_trail_export.export_csv", Do.READ_AUDIT,
         lambda w: audit_trail_export.export_csv(w.session, TrailFilter(), w.folder / "trail.csv", ["No."],
                                                 lambda e: [str(e.seq)], ""), audit_trail_export.EXPORTED),
    Call("backup.backup", Do.BACKUP, _backup, "backup"),
    Call("backup.rekey", Do.REKEY, lambda w: backup.rekey(w.session), "rekey"),
    Call("auth.change_own_password", Do.CHANGE_OWN_PASSWORD, _change_own_password, "password_changed"),
    Call("auth.lock+auth.reauthenticate", Do.CHANGE_OWN_PASSWORD, _lock_and_unlock, "unlock"),
    Call("auth.log_out", Do.CHANGE_OWN_PASSWORD, _log_out_and_in, "logout"),
    Call("auth.confirm_password", Do.CHANGE_OWN_PASSWORD, _confirm_password, None),
    Call("esign.certify+esign.preview+esign.sign", Do.SIGN, _certify_and_sign, "signed"),
    Call("esign.certification", Do.SIGN, lambda w: esign.certification(w.session), None),
    Call("esign_views.ready_for_signature", Do.SIGN, lambda w: esign_views.ready_for_signature(w.session), None),
    Call("esign_views.signatures_of", Do.READ_DATA,
         lambda w: esign_views.signatures_of(w.session, w.enrolled[1]), None),
    Call("esign.needs_username", Do.SIGN, lambda w: esign.needs_username(w.session), None),
    Call("overview.subject_rows", Do.READ_DATA, lambda w: overview.subject_rows(w.session), None),
    Call("overview.subject_detail", Do.READ_DATA, lambda w: overview.subject_detail(w.session, w.enrolled[1]), None),
    Call("editing.open_form", Do.READ_DATA,
         lambda w: editing.open_form(w.session, FormRef(w.enrolled[1], "", "AE", "", 1)), None),
    Call("charts.chart_series", Do.READ_DATA, lambda w: charts.chart_series(w.session, w.enrolled[1]), None),
    Call("site_settings.site_info", Do.CHANGE_OWN_PASSWORD, lambda w: site_settings.site_info(w.session), None),
    Call("site_settings.set_idle_lock_minutes", Do.MANAGE_SITE,
         lambda w: site_settings.set_idle_lock_minutes(w.session, 7), "site_setting_changed"),
    Call("export.export_bundle", Do.EXPORT, _export, "bundle_exported"),
    Call("export.last_export", Do.EXPORT, lambda w: export.last_export(w.session), None),
    Call("sdv.verify_items", Do.VERIFY_SOURCE,
         lambda w: sdv.verify_items(w.session, FormRef(w.enrolled[1], "SCR", "IE"), ["IEIN01"]), "sdv_verified"),
    Call("sdv.verify_form", Do.VERIFY_SOURCE,
         lambda w: sdv.verify_form(w.session, FormRef(w.enrolled[1], "SCR", "RAND")), "sdv_verified"),
    Call("sdv.verify_visit", Do.VERIFY_SOURCE, lambda w: sdv.verify_visit(w.session, w.screened[0], "SCR"),
         "sdv_verified"),
    Call("sdv.verify_visits", Do.VERIFY_SOURCE,
         lambda w: sdv.verify_visits(w.session, [(w.screened[0], "SCR"), (w.enrolled[1], "SCR")]), "sdv_verified"),
    Call("sdv.unverify", Do.VERIFY_SOURCE, _unverify, "sdv_unverified"),
    Call("sdv.form_sdv", Do.READ_DATA, lambda w: sdv.form_sdv(w.session, FormRef(w.enrolled[1], "SCR", "DM")), None),
    Call("locks.lock+locks.active_locks+locks.unlock", Do.LOCK, _lock_and_unlock_form, "locked"),
    Call("locks.freeze_site+locks.lock_site+locks.reopen_site", Do.FREEZE_SITE, _freeze_lock_reopen_site,
         "site_frozen"),
    Call("locks.current_site_state", Do.CHANGE_OWN_PASSWORD, lambda w: locks.current_site_state(w.session), None),
    Call("monitoring_view.form_states", Do.READ_DATA,
         lambda w: monitoring_view.form_states(w.session, w.enrolled[1]), None),
    Call("form_monitoring.form_monitoring", Do.READ_DATA,
         lambda w: form_monitoring.form_monitoring(w.session, FormRef(w.enrolled[1], "SCR", "DM")), None),
    Call("monitoring_view.matrix_states", Do.READ_DATA, lambda w: monitoring_view.matrix_states(w.session), None),
    Call("queries.raise_query", Do.RAISE_QUERY,
         lambda w: queries.raise_query(w.session, QueryPlace.on_form(FormRef(w.enrolled[1], "SCR", "DM")), "Why?"),
         "query_raised"),
    Call("queries.answer_query", Do.ANSWER_QUERY,
         lambda w: queries.answer_query(w.session, w.notes["answer"], "Checked.", ResponseCode.CONFIRMED_CORRECT),
         "query_answered"),
    Call("queries.close_query", Do.CLOSE_QUERY,
         lambda w: queries.close_query(w.session, w.notes["close"], "Thanks."), "query_closed"),
    Call("queries.cancel_query", Do.CLOSE_QUERY,
         lambda w: queries.cancel_query(w.session, w.notes["cancel"], "raised in error"), "query_cancelled"),
    Call("queries.reopen_query", Do.CLOSE_QUERY,
         lambda w: queries.reopen_query(w.session, w.notes["reopen"], "Please look again."), "query_reopened"),
    Call("queries.query_inbox", Do.READ_DATA, lambda w: queries.query_inbox(w.session), None),
    Call("queries.queries_at", Do.READ_DATA,
         lambda w: queries.queries_at(w.session, FormRef(w.enrolled[1], "SCR", "DM")), None),
    Call("queries.visit_queries", Do.READ_DATA, lambda w: queries.visit_queries(w.session, w.enrolled[1], "SCR"),
         None),
    Call("queries.query_thread", Do.READ_DATA, lambda w: queries.query_thread(w.session, w.notes["answer"]), None),
    Call("auto_queries.raise_overdue", Do.READ_DATA, lambda w: auto_queries.raise_overdue(w.session), None),
    Call("signing.site_certificate", Do.CHANGE_OWN_PASSWORD,
         lambda w: signing.site_certificate(w.session).fingerprint, None),
    Call("sponsor_queries.register_sponsor_certificate", Do.MANAGE_SITE, _register_sponsor, "sponsor_certificate"),
    Call("sponsor_queries.sponsor_certificate", Do.CHANGE_OWN_PASSWORD,
         lambda w: sponsor_queries.sponsor_certificate(w.session), None),
    Call("sponsor_queries.import_query_bundle", Do.MANAGE_SITE, _import_sponsor_queries, "query_bundle_imported"),
]


@pytest.mark.parametrize("call", CALLS, ids=str)
@pytest.mark.parametrize("role", list(USERNAME))
def test_role_may_or_may_not_make_the_call(worlds, role, call):
    w = worlds(role)
    before = last_seq(w.session)
    if call.action in ALLOWED[role]:
        call.run(w)
        new = events_after(w.session, before)
        if call.event is None:
            assert new == [], f"a read wrote {[e.action for e in new]}"
        else:
            assert call.event in [e.action for e in new]
            assert {(e.username, e.role) for e in new} == {(USERNAME[role], role)}
    else:
        with pytest.raises(PermissionDenied) as refused:
            call.run(w)
        message = refused.value.message
        assert message.startswith(f"As {ROLE_NAMES[role]} you may not {call.action.value}.")
        for allowed_role, actions in ALLOWED.items():
            if call.action in actions:
                assert ROLE_NAMES[allowed_role].split(" ", 1)[1] in message
        assert last_seq(w.session) == before, "a refused call wrote to the audit trail"
        assert events_after(w.session, before) == []
    assert not (w.folder / "backup.zip").exists() or Do.BACKUP in ALLOWED[role]


SESSION_MODULES = (allocation, audit_trail, audit_trail_export, auth, auto_queries, backup, backup_status, charts,
                   editing, esign, esign_views, export, forms, locks, logs, monitoring_view, overview, queries, sdv,
                   signing, site_settings, sponsor_queries, subjects, users)


def test_the_table_covers_every_service_call_that_takes_a_session():
    takes_session = {f"{module.__name__.rsplit('.', 1)[1]}.{name}"
                     for module in SESSION_MODULES
                     for name, function in vars(module).items()
                     if inspect.isfunction(function) and function.__module__ == module.__name__
                     and not name.startswith("_")
                     and next(iter(inspect.signature(function).parameters), None) == "session"}
    tested = {part for call in CALLS for part in call.name.split("+")}
    assert takes_session - tested == set(), "add the new service call to CALLS"


def test_every_role_and_every_action_is_in_the_table():
    assert set(ALLOWED) == set(USERNAME) == set(ROLE_NAMES)
    assert {call.action for call in CALLS} == set(Do)


def test_refusal_reads_as_a_sentence(sites):
    db, _ = sites.make()
    monitor = sites.login(db, "monitor")
    try:
        with pytest.raises(PermissionDenied) as refused:
            subjects.screen_subject(monitor)
    finally:
        monitor.close()
    assert refused.value.message == ("As a monitor you may not screen a subject. "
                                     "Ask a user with the role investigator or study nurse.")


@pytest.mark.req("P11.10d")
def test_temporary_password_allows_only_changing_it(sites, study):
    db, _ = sites.make()
    admin = sites.login(db, "admin")
    try:
        temporary = users.reset_password(admin, "nurse")
    finally:
        admin.close()
    nurse = sites.login(db, "nurse", temporary)
    try:
        before = last_seq(nurse)
        with pytest.raises(PermissionDenied, match="temporary one"):
            subjects.screen_subject(nurse)
        assert last_seq(nurse) == before
        auth.change_own_password(nurse, temporary, "nurse-password-2")
        assert subjects.screen_subject(nurse) == "CN01-S001"
    finally:
        nurse.close()
    again = sites.login(db, "nurse", "nurse-password-2")
    assert again.actor.role == "nurse"
    again.close()


@pytest.mark.req("P11.10d")
def test_restore_is_for_site_administrators_only(sites, tmp_path):
    db, _ = sites.make()
    admin = sites.login(db, "admin")
    try:
        backup.backup(admin, tmp_path / "b.zip")
    finally:
        admin.close()
    for username in ("investigator", "nurse", "monitor", "reader"):
        with pytest.raises(PermissionDenied, match="site administrator"):
            backup.restore(tmp_path / "b.zip", tmp_path / username / "site.db", username, password_of(username))
        assert not (tmp_path / username / "site.db").exists()
    info = backup.restore(tmp_path / "b.zip", tmp_path / "admin" / "site.db", "admin", ADMIN_PASSWORD)
    assert info.db_path.exists()
