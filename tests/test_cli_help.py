"""`ecrf COMMAND --help` says what the command does, and where its --db default really is."""
from __future__ import annotations

import argparse

import pytest

from ecrf.cli.main import build_parser
from ecrf.paths import default_demo_db, default_site_db


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
