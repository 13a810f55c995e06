"""The study definition loads at every start of the app and of every command: what it imports is kept lean (the
"load study definition, cold" row of `python -m bench`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ecrf.paths import shipped_dir

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import ecrf.study.loader
ecrf.study.loader.load_study(sys.argv[1])
heavy = ("typing", "sqlalchemy", "PySide6", "reportlab", "lark")
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_loading_the_study_imports_no_typing_database_gui_pdf_or_grammar_library() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(shipped_dir("forms"))], capture_output=True, text=True,
                          check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"loading the study imported: {done.stdout.strip()}"
