"""What the merge benchmarks share: one real site bundle per process and size, a PostgreSQL server, and fresh
central databases on both targets.

Making 100 real 50-subject sites would take over an hour, so the benchmarks make ONE real demo site (site code
B001, the study's own demo data through the services, the fast key profile) and one real signed export of it,
and load that bundle's rows as many distinct sources: the same facts under another installation id per copy
(`as_source`). What a source costs to load, or to verify, does not depend on which installation it is. The
loads here are the loading step alone; merge_throughput's whole-merge row verifies each source's bundle too.

PostgreSQL: $ECRF_BENCH_PG_URL or $ECRF_TEST_PG_URL (a server's URL; each run makes and drops its own
databases on it), or else a private server started for this process (tests/pg_server.py's, as the `postgres`
account when root; its fsync is off, so PostgreSQL figures leave out disk flushes — the floor's too).
"""
from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from bench.timing import FORMS_DIR
from bench.unlock import kdf_profile
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import BundleFacts, bundle_facts, file_sha256
from ecrf.merge.load import replace_source
from ecrf.study.loader import load_study
from ecrf.study.model import Study

SITE = ("B001", "Bench 1")
NURSE, NURSE_PASSWORD = "nurse", "demo-nurse-2020"
TARGETS = ("SQLite", "PostgreSQL")
URL_VARIABLES = ("ECRF_BENCH_PG_URL", "ECRF_TEST_PG_URL")


@dataclass(frozen=True)
class BenchBundle:
    """One real signed export of a demo site with `subjects` subjects, and what its manifest says."""

    path: Path
    facts: BundleFacts
    study: Study
    subjects: int


_BUNDLES: dict[int, BenchBundle] = {}
_PG_URL: list[str] = []


def bench_bundle(subjects: int) -> BenchBundle:
    """The bundle of a demo site with `subjects` subjects, made once per process (its folder goes at exit)."""
    if subjects not in _BUNDLES:
        _BUNDLES[subjects] = _make_bundle(subjects)
    return _BUNDLES[subjects]


def _make_bundle(subjects: int) -> BenchBundle:
    from ecrf.demo import create_demo
    from ecrf.services.auth import login
    from ecrf.services.export import export_bundle

    folder = Path(tempfile.mkdtemp(prefix="ecrf-bench-merge-"))
    atexit.register(shutil.rmtree, folder, True)
    study = load_study(FORMS_DIR)
    out = folder / "bundles"
    out.mkdir()
    with kdf_profile("fast"):
        create_demo(folder / "site" / "site.db", study, subjects=subjects, site=SITE)
        session = login(folder / "site" / "site.db", study, NURSE, NURSE_PASSWORD)
        try:
            path = export_bundle(session, out).path
        finally:
            session.close()
    with SafeZip(path) as bundle:
        facts = bundle_facts(bundle, file_sha256(path))
    return BenchBundle(path, facts, study, subjects)


def as_source(facts: BundleFacts, number: int) -> BundleFacts:
    """The bundle's facts as if another installation had sent it: source number `number`."""
    return dataclasses.replace(facts, installation_id=f"{facts.installation_id}-bench{number:04d}")


def load_sources(engine: Engine, data: BenchBundle, count: int, first: int = 0) -> int:
    """Load the bundle as sources first … first+count-1, each in its own transaction as the merge does; the
    number of item values loaded."""
    values = 0
    for number in range(first, first + count):
        with SafeZip(data.path) as bundle, engine.begin() as conn:
            values += replace_source(conn, bundle, as_source(data.facts, number), data.study)
    return values


@contextmanager
def central(kind: str, folder: Path) -> Iterator[str]:
    """A new, empty central database of `kind` (one of TARGETS): a SQLite file path, or a PostgreSQL URL of a
    database made for it (dropped afterwards)."""
    if kind == "SQLite":
        path = folder / f"central-{uuid.uuid4().hex[:8]}.db"
        try:
            yield str(path)
        finally:
            path.unlink(missing_ok=True)
        return
    import psycopg

    server = pg_server_url()
    name = f"ecrf_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_server_url() -> str:
    """A PostgreSQL server to make benchmark databases on: the one given, or a private one for this process."""
    if not _PG_URL:
        given = next((os.environ[v] for v in URL_VARIABLES if os.environ.get(v)), None)
        _PG_URL.append(given or _private_server())
    return _PG_URL[0]


def _private_server() -> str:
    from tests.pg_server import PrivateServer, pg_bin  # the tests' server: one way to run PostgreSQL as root

    bin_dir = pg_bin()
    if bin_dir is None:
        raise RuntimeError(f"the merge benchmarks need PostgreSQL: install its server (Debian: apt-get install "
                           f"postgresql) or set {URL_VARIABLES[0]} to a server's URL")
    server = PrivateServer(bin_dir)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    atexit.register(server.stop)
    return server.url
