"""`ecrf COMMAND --help` says what the command does, and where its --db default really is; `describe` speaks the
chosen language; a missing site database is met with its path and the ways on; `users list/unlock` and lockouts."""
from __future__ import annotations

import argparse

import pytest
from conftest import ADMIN_PASSWORD, unallocated_copy

from ecrf.cli.main import build_parser
from ecrf.errors import EcrfError
from ecrf.paths import default_demo_db, default_site_db
from ecrf.services.auth import MAX_FAILURES, login


def _commands(parser: argparse.ArgumentParser, prefix: str = "ecrf") -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:  # argparse keeps its subcommands here, with no public accessor
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((f"{prefix} {name}", sub))
                found += _commands(sub, f"{prefix} {name}")
    return found


@pytest.mark.req("WARD-CLI")
def test_every_command_has_a_description_line() -> None:
    missing = [name for name, parser in _commands(build_parser()) if not parser.description]
    assert missing == []


@pytest.mark.req("WARD-CLI")
def test_the_db_option_names_the_real_default_path() -> None:
    commands = dict(_commands(build_parser()))

    def unwrapped(name: str) -> str:  # argparse wraps long lines: compare without the white space it adds
        return "".join(commands[name].format_help().split())

    assert "".join(str(default_site_db()).split()) in unwrapped("ecrf users list")
    assert "".join(str(default_site_db()).split()) in unwrapped("ecrf gui")
    assert "".join(str(default_demo_db()).split()) in unwrapped("ecrf demo")


@pytest.mark.req("WARD-ADMIN-CLI")
def test_describe_in_chinese_has_chinese_headings(ecrf) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = ecrf("describe", "--lang", "zh")
    assert code == 0
    for heading in ("组别（", "访视计划（", "日志（", "表单（", "研究定义指纹"):
        assert heading in out
    for english in ("Arms (", "Visit schedule", "Logs (", "Forms (", "items in", "planned"):
        assert english not in out


@pytest.mark.req("WARD-ADMIN-CLI")
def test_describe_in_english_is_unchanged_in_shape(ecrf) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = ecrf("describe")
    assert code == 0
    assert "Visit schedule (" in out and "  visit   day  window" in out and "组别" not in out


@pytest.mark.req("WARD-ADMIN-CLI")
def test_no_site_at_the_default_names_the_path_and_both_ways_on(ecrf) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = ecrf("users", "list", "--user", "admin", "--password-stdin", stdin="x\n")
    assert code == 1
    assert "[no-site-at-default]" in err
    assert str(default_site_db()) in err and "--db PATH" in err
    # The demo is offered where `ecrf demo` really makes it, not as a bare `ecrf demo` that would leave the
    # next site command looking at site.db again.
    assert f"--db {default_demo_db()}" in err


@pytest.mark.req("WARD-ADMIN-CLI")
def test_no_site_at_the_default_with_the_demo_made_points_at_the_demo(ecrf, monkeypatch,  # type: ignore[no-untyped-def]
                                                                      tmp_path) -> None:
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))  # its own data folder: other tests expect no demo
    demo = default_demo_db()
    demo.parent.mkdir(parents=True)
    demo.write_bytes(b"")  # only its presence matters here: the command stops before opening anything
    code, _out, err = ecrf("users", "list", "--user", "admin", "--password-stdin", stdin="x\n")
    assert code == 1
    assert "[no-site-at-default-demo-made]" in err
    assert f"add `--db {demo}`" in err and "make the demo" not in err


@pytest.mark.req("WARD-ADMIN-CLI")
def test_no_site_at_a_given_path_says_it_was_the_given_one(ecrf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nowhere.db"
    code, _out, err = ecrf("users", "list", "--db", missing, "--user", "admin", "--password-stdin", stdin="x\n")
    assert code == 1
    assert "[no-site-at-path]" in err and str(missing) in err and f"--db {default_demo_db()}" in err


@pytest.mark.req("WARD-ADMIN-UNLOCK")
def test_users_list_shows_a_lockout_and_unlock_lifts_it(ecrf, unallocated_template, tmp_path, study):  # type: ignore[no-untyped-def]
    db = unallocated_copy(unallocated_template, tmp_path)
    for _ in range(MAX_FAILURES):
        with pytest.raises(EcrfError):
            login(db, study, "monitor", "wrong password")
    site = ("--db", db, "--user", "admin", "--password-stdin")
    code, out, _err = ecrf("users", "list", *site, stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0 and "locked until" in out and f"({MAX_FAILURES} failed logins)" in out
    code, out, _err = ecrf("users", "unlock", "--username", "monitor", "--reason", "phoned", *site,
                           stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 0 and "lockout of monitor is lifted" in out
    code, out, _err = ecrf("users", "list", *site, stdin=f"{ADMIN_PASSWORD}\n")
    assert "locked until" not in out
    code, _out, err = ecrf("users", "unlock", "--username", "monitor", "--reason", "again", *site,
                           stdin=f"{ADMIN_PASSWORD}\n")
    assert code == 1 and "[account-not-locked]" in err
