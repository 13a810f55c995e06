"""The site commands of `ecrf`: init, users, audit, backup/restore/rekey, allocation, recover, demo."""
from __future__ import annotations

import collections
import os
import re
import sys
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path

import platformdirs
import pytest

from ecrf import paths
from ecrf.cli import audit as cli_audit
from ecrf.cli.common import CliError
from ecrf.cli.demo import remove_site
from ecrf.cli.main import main

CODE = re.compile(r"\b[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}\b")
TEMP_PASSWORD = re.compile(r"Temporary password for \S+: (\S+)")
Run = Callable[..., tuple[int, str, str]]
ADMIN_PASSWORD = "admin-password-1"  # the `sites` fixture's admin (tests/conftest.py)


@pytest.fixture
def ecrf(ecrf: Run) -> Run:  # type: ignore[no-redef]
    """The shared in-process CLI runner (tests/conftest.py), which here also refuses any sign of a crash."""

    def run(*argv: str | Path, stdin: str = "") -> tuple[int, str, str]:
        code, out, err = ecrf(*argv, stdin=stdin)
        assert "Traceback" not in out + err and "unexpected error" not in err
        return code, out, err

    return run


def init(ecrf: Run, db: Path, password: str = ADMIN_PASSWORD) -> tuple[int, str, str]:
    return ecrf("init", "--db", db, "--site", "CN01", "--site-name", "Wuhan Union Hospital", "--admin", "admin",
                "--full-name", "Ada Admin", "--password-stdin", stdin=f"{password}\n")


def as_user(db: Path, user: str = "admin") -> tuple[str, ...]:
    return ("--db", str(db), "--user", user, "--password-stdin")


def pw(user: str) -> str:
    return (ADMIN_PASSWORD if user == "admin" else f"{user}-password-1") + "\n"


def test_init_prints_the_recovery_code_once_and_refuses_a_second_site(ecrf: Run, tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    code, out, _ = init(ecrf, db)
    assert code == 0 and db.exists()
    codes = CODE.findall(out)
    assert len(codes) == 1 and out.count(codes[0]) == 1
    assert "write it down" in out and "only way" in out
    code, out, err = init(ecrf, db)
    assert code == 1 and "already exists" in err and not CODE.search(out + err)


def test_init_refuses_a_weak_password(ecrf: Run, tmp_path: Path) -> None:
    code, _, err = init(ecrf, tmp_path / "site.db", password="short")
    assert code == 1 and "too short" in err and not (tmp_path / "site.db").exists()


def test_default_database_is_in_the_data_dir(ecrf: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.default_site_db() == Path(os.environ["ECRF_DATA_DIR"]) / "site.db"  # the sandbox, never home
    monkeypatch.delenv("ECRF_DATA_DIR")
    assert paths.data_dir() == Path(platformdirs.user_data_dir("ecrf", appauthor=False))
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    assert paths.default_demo_db() == tmp_path / "data" / "demo" / "site.db"
    code, _, _ = ecrf("init", "--site", "CN01", "--site-name", "Wuhan", "--admin", "admin", "--full-name", "Ada",
                      "--password-stdin", stdin=pw("admin"))
    assert code == 0 and (tmp_path / "data" / "site.db").exists()
    code, out, _ = ecrf("users", "list", "--user", "admin", "--password-stdin", stdin=pw("admin"))
    assert code == 0 and "admin" in out


@pytest.mark.req("P11.10d")
def test_users_round_trip(ecrf: Run, tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    init(ecrf, db)
    code, out, _ = ecrf("users", "add", *as_user(db), "--username", "nina", "--full-name", "Nina Nurse",
                        "--role", "nurse", stdin=pw("admin"))
    assert code == 0
    temporary = TEMP_PASSWORD.search(out).group(1)  # type: ignore[union-attr]
    code, out, err = ecrf("audit", "show", *as_user(db, "nina"), stdin=f"{temporary}\n")
    assert code == 1 and "temporary" in err and "ecrf users passwd" in err
    code, _, _ = ecrf("users", "passwd", *as_user(db, "nina"), stdin=f"{temporary}\nnina-new-pass-1\n")
    assert code == 0
    code, _, err = ecrf("audit", "verify", *as_user(db, "nina"), stdin=f"{temporary}\n")
    assert code == 1 and "Wrong username or password" in err
    code, out, _ = ecrf("audit", "verify", *as_user(db, "nina"), stdin="nina-new-pass-1\n")
    assert code == 0 and "audit trail OK" in out

    code, _, _ = ecrf("users", "role", *as_user(db), "--username", "nina", "--role", "investigator",
                      "--reason", "promoted", stdin=pw("admin"))
    assert code == 0
    code, out, _ = ecrf("users", "list", *as_user(db), stdin=pw("admin"))
    assert re.search(r"nina\s+Nina Nurse\s+investigator\s+active", out)

    code, out, _ = ecrf("users", "reset-password", *as_user(db), "--username", "nina", stdin=pw("admin"))
    reset = TEMP_PASSWORD.search(out).group(1)  # type: ignore[union-attr]
    assert code == 0 and reset != temporary
    code, _, err = ecrf("audit", "verify", *as_user(db, "nina"), stdin="nina-new-pass-1\n")
    assert code == 1 and "Wrong username or password" in err

    code, _, _ = ecrf("users", "deactivate", *as_user(db), "--username", "nina", "--reason", "left the trial",
                      stdin=pw("admin"))
    assert code == 0
    code, out, _ = ecrf("users", "list", *as_user(db), stdin=pw("admin"))
    assert re.search(r"nina\s+Nina Nurse\s+investigator\s+inactive", out)
    code, _, err = ecrf("audit", "verify", *as_user(db, "nina"), stdin=f"{reset}\n")
    assert code == 1 and err.strip()


@pytest.mark.req("P11.10d")
def test_wrong_password_is_a_message_not_a_traceback(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    code, out, err = ecrf("users", "list", *as_user(db), stdin="not-the-password\n")
    assert code == 1 and out == ""
    assert "Wrong username or password" in err and "attempt(s) left" in err


def test_missing_site_and_missing_stdin_lines_are_messages(ecrf: Run, tmp_path: Path, sites) -> None:  # type: ignore[no-untyped-def]
    code, _, err = ecrf("users", "list", *as_user(tmp_path / "none.db"), stdin=pw("admin"))
    assert code == 1 and "There is no site database" in err and "ecrf init" in err
    db, _ = sites.make(users=False, allocation=False)
    code, _, err = ecrf("users", "passwd", *as_user(db), stdin=pw("admin"))
    assert code == 1 and "Standard input ended before the new password" in err


def test_typed_passwords_must_match_and_ctrl_c_cancels(ecrf: Run, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter(["first-password-1", "other-password-1"])
    monkeypatch.setattr("ecrf.cli.common.has_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, _, err = ecrf("init", "--db", tmp_path / "site.db", "--site", "CN01", "--site-name", "W", "--admin",
                        "admin", "--full-name", "Ada")
    assert code == 1 and "differ" in err and not (tmp_path / "site.db").exists()

    def interrupt(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupt)
    code, _, err = ecrf("users", "list", "--db", tmp_path / "site.db", "--user", "admin")
    assert code == 2 and err.strip() == "Cancelled."


def test_without_a_terminal_or_password_stdin_the_command_says_how(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    code, _, err = ecrf("users", "list", "--db", db, "--user", "admin", stdin="")
    assert code == 1 and "no-terminal-for-secret" in err and "--password-stdin" in err
    assert "GetPassWarning" not in err


def test_a_broken_study_definition_points_to_check_forms(ecrf: Run, tmp_path: Path, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    code, _, err = ecrf("users", "list", *as_user(db), "--forms", tmp_path, stdin=pw("admin"))
    assert code == 1 and f"ecrf check-forms {tmp_path}" in err


@pytest.mark.req("P11.10g")
def test_a_monitor_may_not_manage_users(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(allocation=False)
    code, out, err = ecrf("users", "add", *as_user(db, "monitor"), "--username", "eve", "--full-name", "Eve",
                          "--role", "site_admin", stdin=pw("monitor"))
    assert code == 1 and out == ""
    assert "As a monitor you may not manage users" in err and "site administrator" in err
    code, _, err = ecrf("rekey", *as_user(db, "monitor"), stdin=pw("monitor"))
    assert code == 1 and "site administrator" in err


@pytest.mark.req("P11.10e")
def test_audit_verify_and_show_after_activity(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make()
    code, out, _ = ecrf("audit", "verify", *as_user(db, "monitor"), stdin=pw("monitor"))
    assert code == 0
    match = re.fullmatch(r"audit trail OK: (\d+) events, (\d+) seals, head ([0-9a-f]{64})\n", out)
    assert match and int(match.group(1)) > 5
    code, out, _ = ecrf("audit", "show", *as_user(db, "monitor"), stdin=pw("monitor"))
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["seq", "local"]
    assert any(re.match(r"2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\s+admin\s+site_admin\s+site_created", x)
               for x in lines)
    assert any(re.search(r"user_added\s+monitor\s+monitor\s+Monitor Tester", x) for x in lines)
    assert "allocation_list_imported" in out and "login" in out
    code, out, _ = ecrf("audit", "show", *as_user(db, "monitor"), "--limit", "2", stdin=pw("monitor"))
    assert code == 0 and len(out.splitlines()) == 3


@pytest.mark.req("P11.10e")
def test_audit_verify_passes_when_only_non_audited_facts_change(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    from ecrf.services.auth import login
    from ecrf.store.engine import raw_connect

    db, _ = sites.make(users=False, allocation=False)
    session = login(db, sites.study, "admin", ADMIN_PASSWORD)
    key = session.database.data_key
    session.close()
    conn = raw_connect(db, key)
    conn.execute("UPDATE site SET site_name = 'x'")  # harmless: not clinical data, not in the trail
    conn.execute("UPDATE users SET full_name = 'y'")
    conn.commit()
    conn.close()
    code, out, _ = ecrf("audit", "verify", *as_user(db), stdin=pw("admin"))
    assert code == 0 and out.startswith("audit trail OK: ")


def test_audit_local_time_shows_the_offset() -> None:
    assert cli_audit.local_time("2024-05-01T06:03:22.000000Z", 480) == "2024-05-01 14:03:22 +08:00"
    assert cli_audit.local_time("2024-05-01T06:03:22.000000Z", -150) == "2024-05-01 03:33:22 -02:30"


@pytest.mark.req("P11.10d")
def test_backup_restore_round_trip(ecrf: Run, sites, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, recovery_code = sites.make(allocation=False)
    out_file = tmp_path / "backup.zip"
    code, out, _ = ecrf("backup", *as_user(db), "--out", out_file, stdin=pw("admin"))
    assert code == 0 and out_file.exists() and str(out_file) in out
    # The password changes after the backup: restore takes the one valid when the backup was made.
    ecrf("users", "passwd", *as_user(db), stdin=pw("admin") + "changed-password-1\n")
    target = tmp_path / "restored" / "site.db"
    code, out, _ = ecrf("restore", out_file, *as_user(target), stdin=pw("admin"))
    assert code == 0 and "Restored" in out
    code, out, _ = ecrf("audit", "verify", *as_user(target), stdin=pw("admin"))
    assert code == 0 and "audit trail OK" in out
    code, out, _ = ecrf("restore", out_file, "--db", db, "--user", "recovery", "--password-stdin",
                        stdin=recovery_code + "\n")
    assert code == 0 and "kept as" in out
    code, out, _ = ecrf("audit", "verify", *as_user(db, "nurse"), stdin=pw("nurse"))
    assert code == 0 and "audit trail OK" in out
    code, _, err = ecrf("restore", out_file, *as_user(target, "nurse"), stdin=pw("nurse"))
    assert code == 1 and "site administrator" in err
    code, _, err = ecrf("restore", tmp_path / "none.zip", *as_user(target), stdin=pw("admin"))
    assert code == 1 and "There is no backup file" in err


def test_rekey_keeps_the_passwords(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(allocation=False)
    keys_before = db.with_suffix(".keys").read_bytes()
    code, out, _ = ecrf("rekey", *as_user(db), stdin=pw("admin"))
    assert code == 0 and "new data key" in out and db.with_suffix(".keys").read_bytes() != keys_before
    for user in ("admin", "investigator"):
        code, out, _ = ecrf("audit", "verify", *as_user(db, user), stdin=pw(user))
        assert code == 0 and "audit trail OK" in out


def test_allocation_import(ecrf: Run, sites, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    csv_file = tmp_path / "allocation.csv"
    csv_file.write_text("rand_no,arm\nR001,MSC\nR002,CTRL\nR003,MSC\n", encoding="utf-8")
    code, out, _ = ecrf("allocation", "import", csv_file, *as_user(db), stdin=pw("admin"))
    assert code == 0 and "3 entries" in out
    code, _, err = ecrf("allocation", "import", csv_file, *as_user(db), stdin=pw("admin"))
    assert code == 1 and "imported already" in err
    code, _, err = ecrf("allocation", "import", tmp_path / "none.csv", *as_user(db), stdin=pw("admin"))
    assert code == 1 and "Cannot read" in err


@pytest.mark.req("P11.10d")
def test_recover_with_the_recovery_code(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, recovery_code = sites.make(users=False, allocation=False)
    code, _, err = ecrf("recover", "--db", db, "--username", "admin", "--password-stdin",
                        stdin="AAAAA-AAAAA-AAAAA-AAAAA-AAAAA\nrecovered-pass-1\n")
    assert code == 1 and "recovery code is wrong" in err
    code, out, _ = ecrf("recover", "--db", db, "--username", "admin", "--password-stdin",
                        stdin=f"{recovery_code.lower()}\nrecovered-pass-1\n")
    assert code == 0 and "admin" in out
    code, _, _ = ecrf("users", "list", *as_user(db), stdin=pw("admin"))
    assert code == 1
    code, out, _ = ecrf("users", "list", *as_user(db), stdin="recovered-pass-1\n")
    assert code == 0 and "admin" in out


def test_demo_force_removes_only_site_files_and_never_the_real_site(ecrf: Run, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "demo" / "site.db"
    init(ecrf, db)
    (tmp_path / "demo" / "notes.txt").write_text("keep me", encoding="utf-8")
    removed = remove_site(db)
    assert db in removed and db.with_suffix(".keys") in removed
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["notes.txt"]
    init(ecrf, paths.default_site_db())
    with pytest.raises(CliError, match="real site"):
        remove_site(paths.default_site_db())
    assert paths.default_site_db().exists()


def _fake_demo_module(made: list[dict[str, object]]) -> types.ModuleType:
    """A stand-in for ecrf.demo with its interface: checks the command's side on its own."""
    from ecrf.services.site_setup import create_site
    from ecrf.services.users import add_user

    user = collections.namedtuple("DemoUser", "username role full_name password")
    users = (user("admin", "site_admin", "Ada Admin", "demo-admin-1"), user("mona", "monitor", "Mona", "demo-mon-1"))

    def create_demo(db_path: Path, study, subjects: int = 20, today: date | None = None):  # type: ignore[no-untyped-def]
        made.append({"subjects": subjects, "today": today})
        new = create_site(db_path, study, "DEMO", "Demo", "admin", "Ada Admin", users[0].password)
        try:
            add_user(new.session, "mona", "Mona", "monitor", password=users[1].password)
        finally:
            new.session.close()
        return types.SimpleNamespace(db_path=db_path, recovery_code=new.recovery_code, users=users,
                                     subject_ids=tuple(f"DEMO-{n:03d}" for n in range(1, subjects + 1)))

    module = types.ModuleType("ecrf.demo")
    module.create_demo = create_demo  # type: ignore[attr-defined]
    return module


def test_demo_command_with_a_stand_in(ecrf: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, object]] = []
    monkeypatch.setitem(sys.modules, "ecrf.demo", _fake_demo_module(made))
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = ecrf("demo", "--subjects", "2", "--today", "2024-03-01")
    db = tmp_path / "data" / "demo" / "site.db"
    assert code == 0 and db.exists() and made == [{"subjects": 2, "today": date(2024, 3, 1)}]
    assert re.search(r"^admin\s+site_admin\s+demo-admin-1$", out, re.MULTILINE)
    assert re.search(r"^mona\s+monitor\s+demo-mon-1$", out, re.MULTILINE)
    assert f"ecrf audit verify --db {db} --user mona" in out and "2 subject(s)" in out
    code, _, err = ecrf("demo")
    assert code == 1 and "--force" in err
    code, out, _ = ecrf("demo", "--force")
    assert code == 0 and f"removed {db}\n" in out and f"removed {db.with_suffix('.keys')}" in out

def test_a_bad_date_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--today", "March"])
    assert exit_.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_demo_prints_one_line_per_user(ecrf: Run, tmp_path: Path) -> None:
    db = tmp_path / "demo" / "site.db"
    code, out, _ = ecrf("demo", "--db", db, "--subjects", "2", "--today", "2024-03-01")
    assert code == 0 and db.exists()
    user_lines = [line.split() for line in out.splitlines() if re.match(r"^\S+\s{2,}\S+\s{2,}\S+$", line)]
    roles = {role for _, role, _ in user_lines}
    assert {"site_admin", "monitor"} <= roles
    username, _, password = next(line for line in user_lines if line[1] == "monitor")
    code, out, _ = ecrf("audit", "verify", *as_user(db, username), stdin=f"{password}\n")
    assert code == 0 and "audit trail OK" in out
    code, _, err = ecrf("demo", "--db", db, "--subjects", "2")
    assert code == 1 and "--force" in err
    code, out, _ = ecrf("demo", "--db", db, "--subjects", "2", "--force")
    assert code == 0 and f"removed {db}" in out


@pytest.mark.req("EXPORT-SIGNED")
def test_init_makes_the_signing_key_whose_certificate_site_certificate_prints(ecrf: Run, tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    code, out, _ = init(ecrf, db)
    fingerprint = re.search(r"((?:[0-9A-F]{2}:){31}[0-9A-F]{2})", out)
    assert code == 0 and fingerprint
    code, out, _ = ecrf("site", "certificate", *as_user(db), stdin=pw("admin"))
    assert code == 0 and "-----BEGIN CERTIFICATE-----" in out and fingerprint.group(1) in out
    assert "CN=ecrf site CN01 of study MSC-COVID19" in out
    assert "Names:       site CN01 of study MSC-COVID19, installation " in out  # what `ecrf trust add` binds
