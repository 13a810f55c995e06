"""Unlocking a site: `login()` on key slots made with the real Argon2id calibration (~0.25 s a derivation).

Figure: median wall time of `ecrf.services.auth.login` (read the slot file, Argon2id, unwrap the data
key, open SQLCipher, check the pairing and the schema revision, start the session, write the audited
login event). Floor: one `KdfParams.derive` with the very parameters of the user's slot, measured in the
same run, so the ratio is what opening the database adds on top of the KDF. Goal: ≤ 0.5 s, i.e. the
design's ~0.25 s derivation plus at most as much again for everything else.

ECRF_KDF_PROFILE is removed from the environment while this runs (the test suite sets it to "fast", which
would make the slots, and so the figure, meaningless).
"""
from __future__ import annotations

import base64
import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR
from ecrf.services.auth import login
from ecrf.services.session import slot_of
from ecrf.services.site_setup import create_site
from ecrf.store.files import SitePaths
from ecrf.store.kdf import KdfParams
from ecrf.study.loader import load_study

GOAL_S = 0.5
PROFILE_ENV = "ECRF_KDF_PROFILE"
USERNAME, PASSWORD = "admin", "bench-password-1"


@contextmanager
def kdf_profile(profile: str | None) -> Iterator[None]:
    """Set (or with None, remove) ECRF_KDF_PROFILE for the block; the previous value comes back after."""
    before = os.environ.get(PROFILE_ENV)
    if profile is None:
        os.environ.pop(PROFILE_ENV, None)
    else:
        os.environ[PROFILE_ENV] = profile
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROFILE_ENV, None)
        else:
            os.environ[PROFILE_ENV] = before


def slot_params(keys_file: Path, slot_id: str) -> KdfParams:
    """The Argon2id parameters stored in one slot of a key file (its documented JSON layout)."""
    kdf = json.loads(keys_file.read_text(encoding="utf-8"))["slots"][slot_id]["kdf"]
    return KdfParams(kdf["time_cost"], kdf["memory_cost"], kdf["parallelism"], base64.b64decode(kdf["salt"]))


def run(scale: Scale = Scale.FULL) -> list[Result]:
    runs = scale.pick(full=9, quick=3, smoke=1)
    study = load_study(FORMS_DIR)
    logins: list[int] = []
    derives: list[int] = []
    with kdf_profile(None), tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        db_path = Path(tmp) / "site.db"
        create_site(db_path, study, "BE01", "Bench site", USERNAME, "Bench Admin", PASSWORD).session.close()
        params = slot_params(SitePaths(db_path).keys, slot_of(USERNAME))
        if params.memory_cost < 64 * 1024:
            raise AssertionError(f"the slot was made with a weak KDF profile ({params}); the figure would be void")
        login(db_path, study, USERNAME, PASSWORD).close()  # warm-up: imports, migration scripts, OS file cache
        for _ in range(runs):  # interleaved, so a slow moment of the machine hits both alike
            start = time.perf_counter_ns()
            session = login(db_path, study, USERNAME, PASSWORD)
            logins.append(time.perf_counter_ns() - start)
            session.close()
            start = time.perf_counter_ns()
            params.derive(PASSWORD)
            derives.append(time.perf_counter_ns() - start)
    figure, floor = statistics.median(logins) / 1e9, statistics.median(derives) / 1e9
    name = f"unlock: login, Argon2id t={params.time_cost} m={params.memory_cost // 1024} MiB"
    return [Result(name, figure, "s", floor, f"≤ {GOAL_S:g} s", figure <= GOAL_S)]
