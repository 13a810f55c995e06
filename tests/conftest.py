"""Test set-up: no test touches the user's real folders, needs a display, or the network."""
from __future__ import annotations

import atexit
import datetime as dt
import io
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from run_once import made_once_per_run

from ecrf.runtime import tune_garbage_collector

tune_garbage_collector()  # as the app runs (ecrf.cli.main); a third off the suite's time

pytest_plugins = ["tests.pg_server"]  # the real PostgreSQL server the merge tests need (pg_server_url, pg_database)

# Test files live in memory where the system offers it (/dev/shm on Linux): the suite writes hundreds of site
# databases with synchronous=FULL, and a disk's fsync is a third of their cost. Durability is the crash test's
# business (a killed writer, not a lost disk), which holds in memory too. pyproject keeps only failed tests' files.
_MEMORY = Path("/dev/shm")
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and _MEMORY.is_dir() and os.access(_MEMORY, os.W_OK):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(_MEMORY)  # where pytest makes tmp_path (tests/ and workers)
# Keep lark's grammar cache and anything else the app would put in the user's folders out of $HOME.
_SANDBOX = Path(tempfile.mkdtemp(prefix="ecrf-tests-", dir=os.environ.get("PYTEST_DEBUG_TEMPROOT")))
atexit.register(shutil.rmtree, _SANDBOX, True)
os.environ["ECRF_CACHE_DIR"] = str(_SANDBOX / "cache")
if not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty: never a real display (an empty value aborts Qt)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["LANG"] = "C.UTF-8"
# Key slots use Argon2id tuned to ~0.25 s in real use; the tests use the minimal profile so that
# hundreds of logins stay fast. The crash test's writer process inherits this.
os.environ["ECRF_KDF_PROFILE"] = "fast"
# Exports lay out casebooks in-process: a worker process per export would add ~0.5 s of start-up to each of
# the suite's exports. tests/export/test_casebook_pool.py turns the workers on.
os.environ["ECRF_EXPORT_WORKERS"] = "0"
# Merges verify their bundles in-process for the same reason (and so that a test replacing the engine's
# verify_bundle is heard); tests/merge/test_engine_workers.py turns the workers on.
os.environ["ECRF_MERGE_WORKERS"] = "0"
# Any default site path resolves inside the sandbox, never the user's data directory.
os.environ["ECRF_DATA_DIR"] = str(_SANDBOX / "data")
# Qt keeps its own settings (QtProject.conf: the file dialogs' history and sidebar) in the user's config folder,
# which ECRF_DATA_DIR does not move: on Linux, XDG_CONFIG_HOME does.
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
REPO = Path(__file__).resolve().parent.parent

# One clock for the whole run (ecrf.study.clock): the demo made once per run and every test that asks for
# "today" agree even when the run crosses midnight. It reads the real time, but a run that starts late in
# the evening runs from 20:00 of that day, so no run (minutes long) reaches the next day.
_LATEST_START = dt.time(20, 0)


def _fixed_clock() -> dt.date:
    from ecrf.study import clock

    started = dt.datetime.now().astimezone()
    latest = dt.datetime.combine(started.date(), _LATEST_START, tzinfo=started.tzinfo)
    anchor, t0 = min(started, latest), time.monotonic()
    clock.use_source(lambda: anchor + dt.timedelta(seconds=time.monotonic() - t0))
    return clock.today()


TODAY = _fixed_clock()
FORMS = REPO / "forms"
DEMO_WARNINGS = "demo-warnings.txt"  # beside the shared demo site: what its generator logged


@pytest.fixture(scope="session")
def study():
    from ecrf.study.loader import load_study

    return load_study(FORMS)



ADMIN_PASSWORD = "admin-password-1"
_TEMPLATES: dict[tuple[str, str, bool, bool], tuple[Path, str]] = {}  # per test process: see SiteMaker.make


class SiteMaker:
    """Creates sites in a temporary folder: `make()` returns (db_path, recovery_code) with an admin
    user 'admin' / ADMIN_PASSWORD and, when `users` is true, one user per role named after it
    (investigator, nurse, monitor, reader) whose password is '<name>-password-1'."""

    def __init__(self, root: Path, study) -> None:  # type: ignore[no-untyped-def]
        self.root, self.study, self.count = root, study, 0

    def make(self, users: bool = True, allocation: bool = True, *, fresh: bool = False):  # type: ignore[no-untyped-def]
        """A copy of one site made once per test process for these arguments (a site costs ~90 ms to make, and
        hundreds of tests each want one). Copies share the installation id, the signing keys and the recovery code:
        `fresh=True` makes a new site for tests that need two different installations."""
        self.count += 1
        db_path = self.root / f"site{self.count}" / "site.db"
        if fresh:
            return self._create(db_path, users, allocation)
        key = (self.study.fingerprint, str(self.study.folder), users, allocation)
        if key not in _TEMPLATES:
            folder = Path(tempfile.mkdtemp(prefix="site-template-", dir=self.root.parent))
            _TEMPLATES[key] = (folder / "site.db", self._create(folder / "site.db", users, allocation)[1])
        template, recovery_code = _TEMPLATES[key]
        shutil.copytree(template.parent, db_path.parent, ignore=shutil.ignore_patterns("*.lock"))
        return db_path, recovery_code

    def _create(self, db_path: Path, users: bool, allocation: bool):  # type: ignore[no-untyped-def]
        from ecrf.services import subjects
        from ecrf.services.site_setup import create_site
        from ecrf.services.users import add_user

        new = create_site(db_path, self.study, "CN01", "Wuhan Union Hospital", "admin", "Ada Admin", ADMIN_PASSWORD)
        try:
            if users:
                for name, role in USERS.items():
                    add_user(new.session, name, f"{name.title()} Tester", role, password=f"{name}-password-1")
            if allocation:
                rows = "".join(f"R{n:03d},{'MSC' if n % 2 else 'CTRL'}\n" for n in range(1, 41))
                subjects.import_allocation_list(new.session, "rand_no,arm\n" + rows)
        finally:
            new.session.close()
        return db_path, new.recovery_code

    def login(self, db_path: Path, username: str = "admin", password: str | None = None):  # type: ignore[no-untyped-def]
        from ecrf.services.auth import login

        password = password or (ADMIN_PASSWORD if username == "admin" else f"{username}-password-1")
        return login(db_path, self.study, username, password)


USERS = {"investigator": "investigator", "nurse": "nurse", "monitor": "monitor", "reader": "read_only"}


@pytest.fixture
def sites(tmp_path, study) -> SiteMaker:  # type: ignore[no-untyped-def]
    return SiteMaker(tmp_path, study)


def _on_own_site(sites: SiteMaker, username: str):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    session = sites.login(db_path, username)
    yield session
    session.close()


@pytest.fixture
def nurse(sites):  # type: ignore[no-untyped-def]
    """The study nurse logged in to a new site of the test's own (a module may define its own `nurse`)."""
    yield from _on_own_site(sites, "nurse")


@pytest.fixture
def investigator(sites):  # type: ignore[no-untyped-def]
    """The investigator logged in to a new site of the test's own."""
    yield from _on_own_site(sites, "investigator")


@pytest.fixture(scope="session")
def unallocated_template(tmp_path_factory, study) -> Path:  # type: ignore[no-untyped-def]
    """A new site as `sites.make(allocation=False)` makes it (users, no allocation list, no backup), made once
    per run; `unallocated_copy(template, tmp_path)` gives a test its own copy."""
    db, _ = SiteMaker(tmp_path_factory.mktemp("unallocated"), study).make(allocation=False)
    return db.parent


def unallocated_copy(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "site")
    return tmp_path / "site" / "site.db"


@dataclass
class DemoCopy:
    db_path: Path
    study: object

    def login(self, username: str = "nurse"):  # type: ignore[no-untyped-def]
        from ecrf.services.auth import login

        return login(self.db_path, self.study, username, f"demo-{username}-2020")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, study) -> Path:  # type: ignore[no-untyped-def]
    """The 20-subject demo site, made once per run; tests copy it (`demo`) or only read it."""
    from ecrf.demo import create_demo

    def make(folder: Path) -> None:
        # What the generator logs (a form it could not fill from the definition) is kept for tests/test_demo.py.
        handler = logging.FileHandler(folder / DEMO_WARNINGS, encoding="utf-8")
        handler.setLevel(logging.WARNING)
        logging.getLogger("ecrf.demo").addHandler(handler)
        try:
            create_demo(folder / "site.db", study, subjects=20)
        finally:
            logging.getLogger("ecrf.demo").removeHandler(handler)
            handler.close()

    return made_once_per_run(tmp_path_factory, "demo-template", make)


@pytest.fixture(scope="session")
def small_demo_template(tmp_path_factory, study) -> Path:  # type: ignore[no-untyped-def]
    """A demo site of 4 subjects, made once per run: for tests that need a site with data, not the whole demo."""
    from ecrf.demo import create_demo

    return made_once_per_run(tmp_path_factory, "small-demo-template",
                             lambda folder: create_demo(folder / "site.db", study, subjects=4))


def copy_of(template: Path, tmp_path: Path, study) -> DemoCopy:  # type: ignore[no-untyped-def]
    folder = tmp_path / "demo"
    shutil.copytree(template, folder)
    return DemoCopy(folder / "site.db", study)


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path, study) -> DemoCopy:  # type: ignore[no-untyped-def]
    return copy_of(demo_template, tmp_path, study)


@pytest.fixture
def small_demo(small_demo_template: Path, tmp_path: Path, study) -> DemoCopy:  # type: ignore[no-untyped-def]
    return copy_of(small_demo_template, tmp_path, study)


@pytest.fixture
def session(demo):  # type: ignore[no-untyped-def]
    """The demo's nurse, logged in; closed after the test."""
    s = demo.login("nurse")
    yield s
    s.close()


@pytest.fixture
def ecrf(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`ecrf(*argv, stdin="...")` runs the CLI in-process: (exit code, stdout, stderr)."""
    from ecrf.cli.main import main

    def run(*argv: str | Path, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the run itself, before any worker starts
        _compile_once()


def _compile_once() -> None:
    """The bytecode of the app, the tests and the benchmarks, in their __pycache__ folders (ignored by git) before
    any test process starts. The suite starts the app in ~200 subprocesses (the CLI, crash writers, benchmarks);
    where the environment says PYTHONDONTWRITEBYTECODE (CI sandboxes do), Python reads bytecode but never writes
    it, so each of them compiled the app from source again (~0.4 s each). Unchanged files are only looked at."""
    import compileall

    for folder in ("ecrf", "tests", "bench"):
        compileall.compile_dir(REPO / folder, quiet=1, workers=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With the suite on several cores, a worker that needs the shared demo site while another is making it
    waits. So one file that needs it runs first (its worker makes the demo), then every file that does not
    (the other workers stay busy), then the rest. The order within a file is kept; no test depends on order."""
    def uses_demo(item: pytest.Item) -> bool:
        return "demo_template" in getattr(item, "fixturenames", ())

    first = next((item.path for item in items if uses_demo(item)), None)
    needs = {item.path for item in items if uses_demo(item)}
    items.sort(key=lambda item: 0 if item.path == first else 2 if item.path in needs else 1)
