""".ci/merge-needs.sh: the PostgreSQL server CI starts for the merge tests really starts, serves and goes away."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run as .ci/run does (set -euo pipefail), but with no server given, so the script starts its own.
SCRIPT = """
set -euo pipefail
source .ci/merge-needs.sh
start_postgres >/dev/null
folder="$PG_FOLDER"
echo "$ECRF_TEST_PG_URL"
"$PYTHON" -c 'import sys, psycopg; print(psycopg.connect(sys.argv[1]).execute("select 41 + 1").fetchone()[0])' \
    "$ECRF_TEST_PG_URL"
stop_postgres
stop_postgres  # twice, as a trap after an explicit stop would
test ! -e "$folder" && echo "folder removed"
"""


@pytest.mark.req("MERGE-PG")
def test_ci_starts_a_private_postgresql_server_and_stops_it() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ECRF_TEST_PG_URL"} | {"PYTHON": sys.executable}
    done = subprocess.run(["bash", "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    url, answer, removed = done.stdout.splitlines()
    assert url.startswith("postgresql://postgres@127.0.0.1:") and answer == "42" and removed == "folder removed"
