"""ecrf.components: the one list of the Python software the app runs on (Help › About, `ecrf about`, the build's
LICENSES/THIRD-PARTY.txt). Its closure follows the requirements' markers as pip does."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ecrf import components

pytestmark = pytest.mark.req("INSTALL-ABOUT")


@pytest.mark.parametrize(("requirement", "extras", "holds"), [
    ("lark>=1.1.9,<2", set(), True),
    ("importlib-metadata; python_version < '3.8'", set(), False),
    ("rl_accel<1.1,>=0.9.0; extra == 'accel'", {"accel"}, True),
    ("rl_accel<1.1,>=0.9.0; extra == 'accel'", set(), False),
    ("pywin32; sys_platform == 'win32' and extra == 'x'", {"x"}, sys.platform == "win32"),
])
def test_a_requirement_counts_only_where_its_marker_holds(requirement, extras, holds):
    assert components._applies(requirement, extras) is holds


def test_a_backport_for_an_older_python_is_not_listed_even_when_importable(monkeypatch):
    """setuptools puts its vendored importlib_metadata on sys.path; Cerberus names it for Python < 3.8 only."""
    import setuptools

    vendored = Path(setuptools.__file__).parent / "_vendor"
    if not any(vendored.glob("importlib_metadata-*.dist-info")):
        pytest.skip("this setuptools vendors no importlib_metadata")
    monkeypatch.syspath_prepend(str(vendored))
    names = [dist.metadata["Name"] for dist in components.closure(["Cerberus"])]
    assert names == ["Cerberus"]


def test_the_list_is_the_runtime_requirements_all_the_way_down():
    names = {c.name for c in components.python_components()}
    assert {"SQLAlchemy", "sqlcipher3", "reportlab", "rl_accel", "psycopg-binary", "yarl"} <= names  # extras followed
    assert not names & {"pytest", "ruff", "mypy", "setuptools", "ecrf"}  # the test extra and the app itself are not
