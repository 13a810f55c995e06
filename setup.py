"""Build hook: an installed wheel carries the study definition and the resources.

`forms/` and `resources/` stay at the top of the repository (the required layout), outside the `ecrf`
package, so a plain build would leave them behind and the installed app could not start. This copies
both into the built package as `ecrf/_data/forms` and `ecrf/_data/resources`, where `ecrf.paths`
looks for them. An editable install (`pip install -e .`) copies nothing: it runs from the checkout,
where `ecrf.paths` finds the folders beside the package. Everything else is in pyproject.toml.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("forms", "resources")  # keep in step with ecrf/paths.py
BUNDLED = Path("ecrf") / "_data"  # ecrf.paths.BUNDLED_DATA, relative to the package root


class BuildPyWithShippedData(build_py):
    """build_py, then the shipped folders into the build tree (not for an editable install)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / BUNDLED / name
            shutil.rmtree(target, ignore_errors=True)  # a file deleted from forms/ must not linger in build/
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


setup(cmdclass={"build_py": BuildPyWithShippedData})
