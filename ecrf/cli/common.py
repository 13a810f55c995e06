"""What the site commands share: reading passwords, loading the study, opening a session, printing tables."""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ecrf.cli.errors import CliError
from ecrf.errors import Localized
from ecrf.paths import default_forms_dir, default_site_db
from ecrf.services.read_only import login, read_only_notice
from ecrf.services.session import SiteSession
from ecrf.study.loader import load_study
from ecrf.study.model import Study
from ecrf.study.problems import DefinitionError


class Cancelled(Exception):
    """The user pressed Ctrl+C (or Ctrl+D) at a prompt."""


class Secrets:
    """Passwords and codes for one command: typed without echo, or with --password-stdin one per line of
    standard input (in the order the command asks for them)."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def ask(self, prompt: str, what: str = "password") -> str:
        secret = self._line(what) if self.from_stdin else self._typed(prompt)
        if not secret:
            raise CliError("no-secret-given", what=_named(what))
        return secret

    def ask_new(self, prompt: str, what: str = "new password") -> str:
        """A new secret: one line of standard input, or typed twice and compared."""
        if self.from_stdin:
            return self.ask(prompt, what)
        first = self.ask(prompt, what)
        if self._typed("Type it again: ") != first:
            raise CliError("secrets-differ", what=_named(what))
        return first

    @staticmethod
    def _line(what: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise CliError("stdin-ended", what=_named(what))
        return line.removesuffix("\n").removesuffix("\r")

    @staticmethod
    def _typed(prompt: str) -> str:
        if not has_terminal():  # getpass would read the pipe with a warning, or fail on a closed stdin
            raise CliError("no-terminal-for-secret", what=_named("password"))
        try:
            return getpass.getpass(prompt)
        except (KeyboardInterrupt, EOFError):
            raise Cancelled() from None


def has_terminal() -> bool:
    """Can a password be typed here without echo (standard input is a terminal)?"""
    return sys.stdin is not None and sys.stdin.isatty()


_SECRETS_ZH = {"password": "密码", "new password": "新密码", "current password": "当前密码", "recovery code": "恢复码"}


def _named(what: str) -> Localized:
    """The secret's name in the message's language."""
    return Localized(what, _SECRETS_ZH.get(what, what))


def secrets_of(args: argparse.Namespace) -> Secrets:
    return Secrets(bool(getattr(args, "password_stdin", False)))


def site_db(args: argparse.Namespace) -> Path:
    """The --db path (or the default), refused with a message when it cannot name a database file."""
    return usable_db_path(args.db or default_site_db())


def usable_db_path(given: Path) -> Path:
    """`given` with ~ expanded; refused when it names a folder (`--db /`), an unknown user's home
    (`~nosuchuser/x`) or a name the system cannot hold (too long), instead of failing later as a bug."""
    try:
        path = given.expanduser()
    except RuntimeError:  # pathlib's word for a ~user that does not exist
        raise CliError("db-path-unusable", path=given, reason=Localized(
            "there is no such user's home folder", "没有该用户的主文件夹")) from None
    try:
        is_folder = path.name == "" or path.is_dir()
    except OSError as exc:  # ENAMETOOLONG, ELOOP, EACCES ... from stat()
        raise CliError("db-path-unusable", path=path, reason=exc.strerror or exc) from None
    if is_folder:
        raise CliError("db-path-is-folder", path=path, example=shell_path(_database_in(path)))
    return path


def _database_in(folder: Path) -> Path:
    """The database a user most likely meant in `folder`: site.db, else the only *.db file there."""
    try:
        found = sorted(p for p in folder.glob("*.db") if p.is_file())
    except OSError:
        found = []
    if folder / "site.db" in found or len(found) != 1:
        return folder / "site.db"
    return found[0]


def site_study(args: argparse.Namespace) -> Study:
    """The study definition of --forms (default: the bundled one), or a message pointing to check-forms."""
    folder = getattr(args, "forms", None) or default_forms_dir()
    try:
        return load_study(folder)
    except DefinitionError as exc:
        raise CliError("definition-has-problems", folder=folder, count=len(exc.problems),
                       first=first_problems(exc)) from None


def first_problems(exc: DefinitionError, shown: int = 3) -> str:
    """The first problems of a definition that cannot be used (coded, with file and line), one per line:
    enough to act on without flooding a site command's output."""
    lines = [f"  {problem}" for problem in exc.problems[:shown]]
    if len(exc.problems) > shown:
        lines.append(f"  … and {len(exc.problems) - shown} more")
    return "".join(f"\n{line}" for line in lines) + "\n"


@contextmanager
def site_session(args: argparse.Namespace, password: str | None = None) -> Iterator[SiteSession]:
    """Log in as --user (asking the password unless given) and close the session whatever happens."""
    study = site_study(args)
    if password is None:
        password = secrets_of(args).ask(f"Password for {args.user}: ")
    session = login(site_db(args), study, args.user, password)
    if (notice := read_only_notice(session)) is not None:  # on stderr: a command's output stays as it is
        from ecrf.cli.main import cli_language  # main imports this module

        print(f"note [{notice.code}]: {notice.text(cli_language())}", file=sys.stderr)
    try:
        yield session
    finally:
        session.close()


def table(header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned on the widest cell, two spaces apart (the header, when given, first)."""
    lines = [header, *rows] if header else list(rows)
    if not lines:
        return ""
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def shell_path(path: Path) -> str:
    """A path as it can be pasted into a command line."""
    text = str(path)
    return f'"{text}"' if any(c.isspace() for c in text) else text
