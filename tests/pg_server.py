"""A real PostgreSQL server for the merge tests: the one `.ci/run` started (ECRF_TEST_PG_URL), or a private one
this test run starts itself (initdb into a temporary folder, a free port on 127.0.0.1, stopped at the end).

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` account the Debian package
creates. A test that needs PostgreSQL and cannot have it FAILS with the reason: it never skips, so a green run
always means the PostgreSQL target was tested.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_VARIABLE = "ECRF_TEST_PG_URL"  # e.g. postgresql://postgres@127.0.0.1:55432/postgres
BIN_VARIABLE = "ECRF_PG_BIN"  # the folder of initdb and pg_ctl, when they are not found by themselves
ACCOUNT = "postgres"


def pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: $ECRF_PG_BIN, the PATH, or Debian's /usr/lib/postgresql/N/bin."""
    given = os.environ.get(BIN_VARIABLE)
    if given:
        return Path(given)
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_account(command: list[str]) -> list[str]:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", ACCOUNT, "--", *command]
    return command


def _run(command: list[str]) -> None:
    result = subprocess.run(_as_server_account(command), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed: {(result.stderr or result.stdout).strip()[-500:]}")


class PrivateServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin, self.port = bin_dir, _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ecrf-pg-"))
        self.data = self.folder / "data"
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            shutil.chown(self.folder, ACCOUNT, ACCOUNT)

    @property
    def url(self) -> str:
        return f"postgresql://{ACCOUNT}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        _run([str(self.bin / "initdb"), "-D", str(self.data), "-U", ACCOUNT, "--auth=trust", "-E", "UTF8",
              "--locale=C", "--no-sync"])
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
              "-w", "-t", "60", "start"])

    def stop(self) -> None:
        try:
            _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.fail(f"PostgreSQL is needed by the merge tests and was not found: install its server (Debian/Ubuntu: "
                    f"apt-get install postgresql; macOS: brew install postgresql) or set {URL_VARIABLE} to a "
                    f"server's URL or {BIN_VARIABLE} to the folder of initdb and pg_ctl.")
    server = PrivateServer(bin_dir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.fail(f"A private PostgreSQL server for the merge tests could not be started: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


def create_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server, empty or a copy of the database at URL `template` (which nobody may be
    connected to); its URL. A server that cannot be used fails the test."""
    import psycopg

    name = f"ecrf_test_{uuid.uuid4().hex[:12]}"
    copied = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copied}')
    except psycopg.Error as exc:
        pytest.fail(f"The PostgreSQL server at {server_url} cannot be used: {exc}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def pg_database(pg_server_url: str) -> Iterator[str]:
    """A new empty database on the server for one test; dropped afterwards. Its URL."""
    url = create_database(pg_server_url)
    yield url
    drop_database(pg_server_url, url)
