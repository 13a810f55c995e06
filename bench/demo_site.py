"""`ecrf demo`: making the demonstration site (users, subjects, their data) with the real study.

Figure: median wall time of `ecrf.demo.create_demo(db_path, study, subjects=20)` (quick: 2
subjects) in a fresh folder. Floor: `create_site` of an empty site in the same run (the part of the demo
no site can skip: new database, schema, key slots, first audit events). Both run with the real Argon2id
calibration, as `ecrf demo` does for a user (ECRF_KDF_PROFILE is removed while this runs). Goal: ≤ 5 s,
a first impression that does not feel like an installation step.

create_demo is imported lazily: while it is not there, this benchmark prints that it is skipped and gives
no row (see `skipped`).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR
from bench.unlock import kdf_profile
from ecrf.services.site_setup import create_site
from ecrf.study.loader import load_study

GOAL_S = 5.0


def _create_demo() -> Callable[..., Any] | str:
    """create_demo, or why it cannot be used (a sentence)."""
    try:
        from ecrf.demo import create_demo
    except Exception as exc:  # noqa: BLE001 - any import failure means "not there yet", never a crash here
        return f"ecrf.demo.create_demo is not importable yet ({type(exc).__name__}: {exc})"
    return create_demo  # type: ignore[no-any-return]


def skipped() -> str | None:
    """Why this benchmark gives no row, or None when it runs."""
    found = _create_demo()
    return found if isinstance(found, str) else None


def run(scale: Scale = Scale.FULL) -> list[Result]:
    create_demo = _create_demo()
    if isinstance(create_demo, str):
        print(f"demo: skipped: {create_demo}")
        return []
    subjects, runs = scale.pick(full=(20, 3), quick=(2, 1), smoke=(1, 1))
    study = load_study(FORMS_DIR)
    demo: list[int] = []
    empty: list[int] = []
    # Real Argon2id as a user meets it; the smoke run only checks that it runs, with the fast profile.
    profile = "fast" if scale is Scale.SMOKE else None
    with kdf_profile(profile), tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        for i in range(runs):  # interleaved, so a slow moment of the machine hits both alike
            start = time.perf_counter_ns()
            made = create_demo(Path(tmp) / f"demo{i}" / "demo.db", study, subjects=subjects)
            demo.append(time.perf_counter_ns() - start)
            _close(made)
            start = time.perf_counter_ns()
            new = create_site(Path(tmp) / f"site{i}" / "site.db", study, "BE01", "Bench site", "admin",
                              "Bench Admin", "bench-password-1")
            empty.append(time.perf_counter_ns() - start)
            new.session.close()
    figure, floor = statistics.median(demo) / 1e9, statistics.median(empty) / 1e9
    return [Result(f"ecrf demo: create_demo, {subjects} subjects", figure, "s", floor, f"≤ {GOAL_S:g} s",
                   figure <= GOAL_S)]


def _close(made: object) -> None:
    """Release whatever create_demo left open (a session or database), so the temp folder can go."""
    for holder in (made, getattr(made, "session", None)):
        close = getattr(holder, "close", None)
        if callable(close):
            close()
