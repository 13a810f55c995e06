"""A built wheel carries forms/ and resources/: installed into a new venv, the app runs from anywhere.

The wheel is built from a copy of the sources (the build writes build/ and *.egg-info beside them, which
must not land in the checkout) without build isolation, so no network is needed. The new venv borrows
the test venv's third-party packages through a .pth line, which adds that folder to sys.path without
running its own .pth files — so the checkout's editable `ecrf` is not importable there: the test
checks that `ecrf` comes from the new venv."""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "ecrf", "forms", "resources")
BIN = "Scripts" if sys.platform == "win32" else "bin"


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ECRF_FORMS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, "ECRF_DATA_DIR": str(tmp_path / "data"), "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A new venv with the wheel built from this checkout installed in it; returns the venv."""
    import setuptools

    assert int(setuptools.__version__.split(".")[0]) >= 68, \
        "the offline wheel build needs the test extras' setuptools: pip install -e '.[test]'"
    tmp = tmp_path_factory.mktemp("wheel")
    env = _env(tmp)
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data"))
        else:
            shutil.copy2(REPO / name, src / name)
    _run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist",
         cwd=src, env=env)
    [wheel] = (tmp / "dist").glob("ecrf-*.whl")
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp, env=env)
    python = venv / BIN / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-compile", "-q", wheel,
         cwd=tmp, env=env)
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp, env=env)
    borrowed = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib.stdout.strip(), "test-venv-dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    return venv


@pytest.fixture
def outside(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A working folder with no forms/ or ecrf/ anywhere near it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_installed_package_is_the_wheel_and_carries_the_data(installed, outside, tmp_path):
    probe = ("import ecrf, ecrf.paths as p; print(ecrf.__file__); print(p.shipped_dir('forms')); "
             "print(all(p.resource_path('fonts', f).is_file() for f in "
             "('DroidSansFallback.ttf', 'DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf'))); "
             "print(all(p.resource_path('guide', l, 'images', 'login.png').is_file() for l in ('en', 'zh_CN'))); "
             "print(p.resource_path('translations', 'ecrf_zh_CN.qm').is_file())")
    out = _run(installed / BIN / "python", "-c", probe, cwd=outside, env=_env(tmp_path)).stdout.split("\n")
    package, forms, font, guide, chinese = Path(out[0]).resolve(), Path(out[1]).resolve(), out[2], out[3], out[4]
    assert package.is_relative_to(installed.resolve()), "ecrf must come from the new venv, not the checkout"
    assert forms.is_relative_to(installed.resolve()) and (forms / "study.yaml").is_file()
    assert (forms / "display" / "charts.yaml").is_file()
    assert font == "True"
    assert guide == "True", "the user guide and its screenshots travel in the wheel"
    assert chinese == "True", "the Chinese interface (the app's own .qm) travels in the wheel"


def test_ecrf_describe_and_demo_run_from_outside_the_checkout(installed, outside, tmp_path):
    env = _env(tmp_path)
    described = _run(installed / BIN / "ecrf", "describe", cwd=outside, env=env)
    assert "MSC" in described.stdout
    site_db = tmp_path / "site.db"
    demo = _run(installed / BIN / "ecrf", "demo", "--db", site_db, "--subjects", "1", cwd=outside, env=env)
    assert site_db.is_file() and "nurse" in demo.stdout


@pytest.mark.req("INSTALL-ABOUT")
def test_ecrf_about_from_the_wheel_lists_the_same_software_as_from_the_checkout(installed, outside, tmp_path):
    """An installed wheel has no pyproject.toml: the list comes from the installed ecrf's requirements."""
    from ecrf.cli.about import COMPONENTS_HEADING, about_text

    def components(text: str) -> list[str]:
        return text.split(COMPONENTS_HEADING + "\n", 1)[1].splitlines()

    shown = _run(installed / BIN / "ecrf", "about", cwd=outside, env=_env(tmp_path)).stdout.rstrip("\n")
    assert components(shown) == components(about_text()) and len(components(shown)) > 40
