"""Bad input found while attacking the app (issue 12, "Robustness found on the way"): each case first
reproduces the input that used to crash, hang or mislead, then checks the coded message that replaces it."""
from __future__ import annotations

import errno
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3
from conftest import ADMIN_PASSWORD
from subject_helpers import screen, stored

from ecrf.services import allocation, forms
from ecrf.services.auth import login
from ecrf.services.errors import InvalidInput, ValuesRefused
from ecrf.services.subject_data import FormRef
from ecrf.store import engine
from ecrf.store.errors import DatabaseDamaged, DiskFull
from ecrf.study.loader import check_definition
from ecrf.study.parsing import MAX_DIGITS, parse_entry
from ecrf.study.values import PartialDate
from ecrf.study.yamlsource import MAX_ALIASES, YamlAliasBomb, YamlSyntaxError, parse_yaml

REPO = Path(__file__).resolve().parent.parent

# ---- a YAML alias bomb ("billion laughs") in a forms folder ------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))


def test_alias_bomb_is_refused_before_it_expands():
    with pytest.raises(YamlAliasBomb) as caught:
        parse_yaml(BILLION_LAUGHS.encode())
    assert caught.value.expanded > 10**8  # 9**9 values, counted without building them


def test_many_aliases_are_refused_even_when_small():
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(YamlAliasBomb):
        parse_yaml(text.encode())


def test_ordinary_aliases_still_load_and_a_recursive_one_is_a_syntax_error():
    assert parse_yaml(b"a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}
    with pytest.raises(YamlSyntaxError, match="recursive"):  # counted once by the check, no endless walk
        parse_yaml(b"a: &r [1, *r]\n")


@pytest.mark.req("DEF-ALL-PROBLEMS")
def test_check_forms_reports_an_alias_bomb_with_its_code(tmp_path, ecrf):
    forms = tmp_path / "forms"
    shutil.copytree(REPO / "forms", forms)
    (forms / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    problems = [p for p in check_definition(forms) if p.file.endswith("bomb.yaml")]
    assert [p.code.value for p in problems] == ["yaml-alias-bomb"]
    assert "aliases" in problems[0].message
    code, out, err = ecrf("check-forms", forms)
    assert code != 0 and "[yaml-alias-bomb]" in out + err and "Traceback" not in out + err


# ---- values: huge integers, lone surrogates, typed dates outside 1900–2100 ------------------------------

HUGE = "1" * 4301  # one digit past Python's int() limit for text


def _item(study, form: str, code: str):  # type: ignore[no-untyped-def]
    return study.forms[form].item(code)


@pytest.mark.req("VAL-HARD")
@pytest.mark.parametrize(("form", "code", "raw", "finding"), [
    ("CT", "SCRUL", HUGE, "too-many-digits"),  # typed or pasted: int() used to raise
    ("CT", "SCRUL", 10**5000, "too-many-digits"),  # given as a number: str() used to raise when stored
    ("CM", "CMDOSE", HUGE, "too-many-digits"),
    ("CM", "CMDOSE", 10**4400, "too-many-digits"),
    ("AE", "AETERM", "fever \ud83d", "broken-character"),  # half an emoji: cannot be encoded as UTF-8
    ("CT", "SCRUL", "\udc00", "broken-character"),
    ("AE", "AESCRIT", ("\ud800",), "broken-character"),
    ("CS", "CSDAT", date(1, 1, 1), "impossible-date"),  # a typed date used to skip the year check
    ("AE", "AESTDAT", PartialDate(1), "impossible-date"),
], ids=["int-text", "int-typed", "dec-text", "dec-typed", "text", "int-surrogate", "multi", "date", "partial"])
def test_bad_values_are_refused_with_a_field_level_finding(study, form, code, raw, finding):  # type: ignore[no-untyped-def]
    value, findings = parse_entry(_item(study, form, code), raw)
    assert value is None
    assert [(f.code.value, f.item) for f in findings] == [(finding, code)]
    for lang in ("en", "zh"):
        text = findings[0].text(lang)
        text.encode("utf-8")  # printable: the broken text itself is never echoed
        assert len(text) < 300  # a 4,301-digit paste is shown by its start only


def test_numbers_up_to_the_cap_still_parse(study):  # type: ignore[no-untyped-def]
    assert parse_entry(_item(study, "CT", "SCRUL"), "3") == (3, [])
    value, findings = parse_entry(_item(study, "CM", "CMDOSE"), "1" * MAX_DIGITS)
    assert findings == [] or findings[0].code.value != "too-many-digits"


@pytest.mark.req("VAL-HARD")
def test_save_refuses_bad_values_and_stores_nothing(sites, study):  # type: ignore[no-untyped-def]
    db, _ = sites.make()
    session = sites.login(db, "nurse")
    try:
        label = screen(session)
        ref = FormRef(label, "SCR", "DM")
        before = stored(session, ref)
        bad = {"HEIGHT": 10**5000, "BRTHDAT": date(1, 1, 1), "ICVER": "V1 \udfff"}
        with pytest.raises(ValuesRefused) as refused:
            forms.save_form(session, ref, bad, reason="typo")
        assert {(f.item, f.code.value) for f in refused.value.findings} == {
            ("HEIGHT", "too-many-digits"), ("BRTHDAT", "impossible-date"), ("ICVER", "broken-character")}
        refused.value.text("zh").encode("utf-8")
        with pytest.raises(InvalidInput) as broken_reason:
            forms.save_form(session, ref, {"HEIGHT": "170.0"}, reason="typo \ud800")
        assert broken_reason.value.code == "reason-broken-character"
        assert stored(session, ref) == before
    finally:
        session.close()


# ---- a full disk at login ------------------------------------------------------------------------------

class _NoRoomForWal:
    """A driver connection on a full disk: reading works, but SQLite cannot grow the WAL index (-shm), which
    it reports as a plain "disk I/O error" (seen on a full tmpfs)."""

    def __init__(self, conn) -> None:  # type: ignore[no-untyped-def]
        self._conn = conn

    def execute(self, sql: str, *args):  # type: ignore[no-untyped-def]
        if "journal_mode" in sql:
            raise sqlcipher3.dbapi2.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def close(self) -> None:
        self._conn.close()


def _disk_full_at_open(monkeypatch, free: int) -> None:  # type: ignore[no-untyped-def]
    real_connect = sqlcipher3.dbapi2.connect
    monkeypatch.setattr(sqlcipher3.dbapi2, "connect", lambda *a, **k: _NoRoomForWal(real_connect(*a, **k)))
    monkeypatch.setattr(engine, "free_space", lambda folder: free)


@pytest.mark.req("STORE-FAULTS")
def test_a_full_disk_at_login_says_disk_full_not_damaged(sites, study, monkeypatch):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    _disk_full_at_open(monkeypatch, free=0)
    with pytest.raises(DiskFull) as caught:
        login(db, study, "admin", ADMIN_PASSWORD)
    assert caught.value.code == "disk-full"
    assert "full" in caught.value.text("en") and "not damaged" in caught.value.text("en")
    assert "restore" not in caught.value.text("en").lower()
    monkeypatch.undo()
    sites.login(db).close()  # space freed: the site opens as before


def test_an_io_error_with_free_space_is_still_reported_as_damage(sites, study, monkeypatch):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    _disk_full_at_open(monkeypatch, free=10**12)
    with pytest.raises(DatabaseDamaged):
        login(db, study, "admin", ADMIN_PASSWORD)


def test_driver_and_os_full_disk_errors_translate_to_disk_full(tmp_path):  # type: ignore[no-untyped-def]
    full = sqlite3.OperationalError("database or disk is full")
    assert engine.translate(full, tmp_path / "site.db").code == "disk-full"
    assert engine.translate(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "site.db").code == "disk-full"


# ---- the command line: paths, --limit, endless files, a --db that is not a site ---------------------------

def _coded(result: tuple[int, str, str], code: str) -> str:
    exit_code, out, err = result
    assert exit_code == 1, out + err
    assert f"error [{code}]: " in err, err
    assert "unexpected" not in err and "Traceback" not in err and "crash-" not in err
    return err


def _list_users(ecrf, db: Path | str):  # type: ignore[no-untyped-def]
    return ecrf("users", "list", "--db", db, "--user", "admin", "--password-stdin", stdin=f"{ADMIN_PASSWORD}\n")


@pytest.mark.req("STORE-FAULTS")
@pytest.mark.parametrize(("db", "code"), [
    ("/tmp/" + "a" * 300 + "/site.db", "db-path-unusable"),  # ENAMETOOLONG
    ("/", "db-path-is-folder"),
    ("~nosuchuser-ecrf-test/x.db", "db-path-unusable"),
], ids=["too-long", "root", "unknown-user"])
def test_unusable_db_paths_get_a_coded_message(ecrf, db, code):  # type: ignore[no-untyped-def]
    _coded(_list_users(ecrf, db), code)


def test_a_folder_as_db_suggests_the_database_in_it(ecrf, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "my site").mkdir()
    (tmp_path / "my site" / "demo.db").write_bytes(b"")
    err = _coded(_list_users(ecrf, tmp_path / "my site"), "db-path-is-folder")
    assert f'--db "{tmp_path / "my site" / "demo.db"}"' in err


def test_a_too_long_output_path_is_a_file_error_not_a_bug(ecrf, sites):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    out = db.parent / ("b" * 300) / "backup.zip"
    result = ecrf("backup", "--db", db, "--user", "admin", "--password-stdin", "--out", out,
                  stdin=f"{ADMIN_PASSWORD}\n")
    assert "too long" in _coded(result, "file-error")


def test_a_huge_limit_is_refused_by_the_argument_parser(ecrf, sites):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    with pytest.raises(SystemExit) as exited:
        ecrf("audit", "show", "--db", db, "--user", "admin", "--password-stdin", "--limit", str(10**30),
             stdin=f"{ADMIN_PASSWORD}\n")
    assert exited.value.code == 2  # argparse's usage error: "too large; give at most 1,000,000,000"
    code, out, err = ecrf("audit", "show", "--db", db, "--user", "admin", "--password-stdin", "--limit",
                          "1000000000", stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0, err


def test_allocation_import_refuses_a_device_and_a_huge_file(ecrf, sites, tmp_path):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)

    def import_(path: Path | str):  # type: ignore[no-untyped-def]
        return ecrf("allocation", "import", path, "--db", db, "--user", "admin", "--password-stdin",
                    stdin=f"{ADMIN_PASSWORD}\n")

    _coded(import_("/dev/zero"), "allocation-file-not-a-file")  # used to grow until the kernel killed it
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:  # sparse: no disk space used
        handle.truncate(allocation.MAX_ALLOCATION_BYTES + 1)
    _coded(import_(huge), "allocation-file-too-large")
    _coded(import_(tmp_path / "none.csv"), "allocation-file-unreadable")


@pytest.mark.req("STORE-FAULTS")
@pytest.mark.parametrize("kind", ["text", "plain-sqlite", "no-keys", "device"])
def test_a_db_that_is_not_a_site_gets_no_lock_file_beside_it(ecrf, tmp_path, kind):  # type: ignore[no-untyped-def]
    target = tmp_path / "victim"
    if kind == "text":
        target.write_text("root:x:0:0:root:/root:/bin/bash\n")
    elif kind == "plain-sqlite":
        sqlite3.connect(target).execute("CREATE TABLE t (x)").connection.close()
    elif kind == "no-keys":
        target.write_bytes(bytes(range(200, 256)) * 20)  # looks encrypted, but no .keys beside it
    before = sorted(tmp_path.iterdir())
    db = Path("/dev/zero") if kind == "device" else target
    code = {"no-keys": "key-file-missing"}.get(kind, "not-a-site-file")
    _coded(_list_users(ecrf, db), code)
    assert sorted(tmp_path.iterdir()) == before  # no victim.lock, no victim.logins
    _coded(ecrf("demo", "--force", "--db", db), code)  # --force never deletes a file that is not a site
    assert sorted(tmp_path.iterdir()) == before


def test_restore_never_replaces_a_file_that_is_not_a_site(ecrf, sites, tmp_path):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    backup_file = tmp_path / "site-backup.zip"
    code, _, err = ecrf("backup", "--db", db, "--user", "admin", "--password-stdin", "--out", backup_file,
                        stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0, err
    victim = tmp_path / "notes" / "notes.txt"
    victim.parent.mkdir()
    victim.write_text("my notes\n")
    _coded(ecrf("restore", backup_file, "--db", victim, "--user", "admin", "--password-stdin",
                stdin=f"{ADMIN_PASSWORD}\n"), "not-a-site-file")
    assert [p.name for p in victim.parent.iterdir()] == ["notes.txt"] and victim.read_text() == "my notes\n"
    db.with_suffix(".keys").unlink()  # a site that lost its key file is still restored over (kept aside)
    code, out, err = ecrf("restore", backup_file, "--db", db, "--user", "admin", "--password-stdin",
                          stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0 and "kept as" in out, err


def test_a_text_argument_with_undecodable_bytes_is_refused(ecrf, sites):  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    full_name = b"Bob \xff".decode("utf-8", "surrogateescape")  # what Python makes of a Latin-1 byte in argv
    result = ecrf("users", "add", "--db", db, "--user", "admin", "--password-stdin", "--username", "bob",
                  "--full-name", full_name, "--role", "nurse", stdin=f"{ADMIN_PASSWORD}\n")
    assert "--full-name" in _coded(result, "argument-not-text")
