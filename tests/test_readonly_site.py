"""A site on read-only media (a write-protected USB drive, a DVD, a read-only share) opens for reading: the
data, the audit trail and `ecrf audit verify/show` work; nothing is written (no lock file, no login event, no
-wal/-shm), and every write service is refused with `site-opened-read-only` (issue 12, robustness).

Most tests force the read-only decision on an ordinary folder (it is a function of its own, tested directly);
one test uses real read-only media: a chmod'ed folder, or as root (whom chmod does not stop) a read-only bind
mount when the system allows one, else it is skipped."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD

from ecrf.services import audit_trail, read_only, subjects, users
from ecrf.services.errors import LoginFailed
from ecrf.store import database as store_database
from ecrf.store import migrate
from ecrf.store.errors import ReadOnly
from ecrf.store.files import SitePaths

pytestmark = pytest.mark.req("STORE-FAULTS")


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file of the folder with its content hash: a read-only open must leave all of them as they were."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def site(sites) -> Path:  # type: ignore[no-untyped-def]
    db, _ = sites.make(allocation=False)
    SitePaths(db).lock.unlink(missing_ok=True)  # left by the set-up; read-only media would not have one
    return db


@pytest.fixture
def forced_read_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(store_database, "site_is_read_only", lambda paths: True)
    monkeypatch.setattr(read_only, "site_is_read_only", lambda paths: True)


# ---- the decision --------------------------------------------------------------------------------------

def test_a_writable_folder_is_not_read_only(site):  # type: ignore[no-untyped-def]
    assert store_database.site_is_read_only(SitePaths(site)) is False


def test_read_only_media_or_missing_write_permission_make_a_site_read_only(site, monkeypatch):  # type: ignore[no-untyped-def]
    paths = SitePaths(site)
    monkeypatch.setattr(store_database, "_mounted_read_only", lambda folder: True)
    assert store_database.site_is_read_only(paths) is True
    monkeypatch.setattr(store_database, "_mounted_read_only", lambda folder: False)
    for unwritable in (paths.db, paths.db.parent):
        monkeypatch.setattr(os, "access", lambda path, mode, _u=unwritable: Path(path) != _u)
        assert store_database.site_is_read_only(paths) is True


# ---- opening read-only ---------------------------------------------------------------------------------

@pytest.mark.usefixtures("forced_read_only")
def test_login_reads_data_and_trail_and_writes_nothing(site, study):  # type: ignore[no-untyped-def]
    before = _fingerprint(site.parent)
    session = read_only.login(site, study, "admin", ADMIN_PASSWORD)
    try:
        assert session.database.read_only
        assert read_only.read_only_notice(session).code == "opened-read-only"  # type: ignore[union-attr]
        report = audit_trail.verify(session)
        assert report.ok
        assert "login" not in [e.action for e in audit_trail.events(session, limit=1)]  # no login event
        assert {u.username for u in users.list_users(session)} >= {"admin", "nurse"}
    finally:
        session.close()
    assert _fingerprint(site.parent) == before  # no lock, no -wal/-shm, no ledger change, no new event


@pytest.mark.usefixtures("forced_read_only")
def test_every_write_is_refused_with_the_read_only_message(site, study):  # type: ignore[no-untyped-def]
    before = _fingerprint(site.parent)
    session = read_only.login(site, study, "admin", ADMIN_PASSWORD)
    try:
        for write in (lambda: users.add_user(session, "bob", "Bob", "nurse", password="bob-password-1"),
                      lambda: subjects.screen_subject(session),
                      lambda: session.database.rekey(session.database.slots, b"\0" * 32)):  # type: ignore[arg-type]
            with pytest.raises(ReadOnly) as refused:
                write()
            assert refused.value.code == "site-opened-read-only"
            assert "copy the site folder" in refused.value.text("en").lower()
            assert "复制" in refused.value.text("zh")
    finally:
        session.close()
    assert _fingerprint(site.parent) == before


@pytest.mark.usefixtures("forced_read_only")
def test_wrong_password_idle_lock_and_unlock_write_nothing(site, study):  # type: ignore[no-untyped-def]
    before = _fingerprint(site.parent)
    with pytest.raises(LoginFailed) as failed:
        read_only.login(site, study, "admin", "wrong-password")
    assert failed.value.code == "login-failed-read-only"
    session = read_only.login(site, study, "nurse", "nurse-password-1")
    try:
        read_only.lock(session)
        assert session.locked
        with pytest.raises(LoginFailed):
            read_only.reauthenticate(session, "wrong-password")
        read_only.reauthenticate(session, "nurse-password-1")
        assert not session.locked
    finally:
        session.close()
    assert _fingerprint(site.parent) == before


@pytest.mark.usefixtures("forced_read_only")
def test_a_site_that_needs_a_migration_says_copy_it_first(site, study, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(migrate, "head_revision", lambda: "a-newer-revision")
    with pytest.raises(ReadOnly) as refused:
        read_only.login(site, study, "admin", ADMIN_PASSWORD)
    assert refused.value.code == "read-only-site-needs-upgrade"


@pytest.mark.usefixtures("forced_read_only")
def test_cli_audit_verify_and_show_work_and_writes_are_refused(site, ecrf):  # type: ignore[no-untyped-def]
    args = ("--db", site, "--user", "admin", "--password-stdin")
    code, out, err = ecrf("audit", "verify", *args, stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0 and "audit trail OK" in out and "note [opened-read-only]" in err
    code, out, _ = ecrf("audit", "show", *args, stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0 and "user_added" in out
    code, _, err = ecrf("users", "add", *args, "--username", "bob", "--full-name", "Bob", "--role", "nurse",
                        stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 1 and "error [site-opened-read-only]" in err and "Traceback" not in err


# ---- real read-only media ------------------------------------------------------------------------------

@contextlib.contextmanager
def _read_only_copy(folder: Path, target: Path) -> Iterator[Path]:
    """`folder` as read-only media at `target`: chmod for a normal user; for root (whom chmod does not stop)
    a read-only bind mount, or a skip where the system does not allow one."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        shutil.copytree(folder, target)
        for path in target.iterdir():
            path.chmod(0o444)
        target.chmod(0o555)
        try:
            yield target
        finally:
            target.chmod(0o755)
        return
    target.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(target)], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("running as root, where chmod does not stop writes, and no bind mount is allowed")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True).returncode != 0:
            pytest.skip("running as root, and a read-only remount is not allowed")
        yield target
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_a_site_on_real_read_only_media_can_be_read_and_verified(site, study, tmp_path):  # type: ignore[no-untyped-def]
    with _read_only_copy(site.parent, tmp_path / "media") as media:
        db = media / site.name
        assert store_database.site_is_read_only(SitePaths(db))
        before = _fingerprint(media)
        session = read_only.login(db, study, "admin", ADMIN_PASSWORD)
        try:
            assert session.database.read_only and audit_trail.verify(session).ok
            with pytest.raises(ReadOnly):
                subjects.screen_subject(session)
        finally:
            session.close()
        assert _fingerprint(media) == before
