"""Test set-up: no test touches the user's real folders, needs a display, or the network."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Keep lark's grammar cache and anything else the app would put in the user's folders out of $HOME.
_SANDBOX = Path(tempfile.mkdtemp(prefix="ecrf-tests-"))
os.environ["ECRF_CACHE_DIR"] = str(_SANDBOX / "cache")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANG"] = "C.UTF-8"

REPO = Path(__file__).resolve().parent.parent
FORMS = REPO / "forms"


@pytest.fixture(scope="session")
def study():
    from ecrf.study.loader import load_study

    return load_study(FORMS)
