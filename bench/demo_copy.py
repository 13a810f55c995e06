"""Demo sites for the benchmarks that read one: made once per process and size, then copied for each use (a
login writes to a site, so no benchmark works on the shared one). The export benchmarks measure the export,
not the demo: sharing it keeps `python -m bench` (and the suite's smoke run) from making the same site thrice."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from bench.timing import FORMS_DIR
from bench.unlock import kdf_profile

_TEMPLATES: dict[int, Path] = {}


def demo_copy(subjects: int, folder: Path) -> Path:
    """A fresh copy, in `folder`, of the demo site with `subjects` subjects (users as `ecrf demo` makes them, with
    the fast key profile); returns its database path."""
    template = _TEMPLATES.get(subjects)
    if template is None:
        from ecrf.demo import create_demo
        from ecrf.study.loader import load_study

        template = Path(tempfile.mkdtemp(prefix="ecrf-bench-demo-"))
        atexit.register(shutil.rmtree, template, True)
        with kdf_profile("fast"):
            create_demo(template / "site.db", load_study(FORMS_DIR), subjects=subjects)
        _TEMPLATES[subjects] = template
    shutil.copytree(template, folder, dirs_exist_ok=True)
    return folder / "site.db"
