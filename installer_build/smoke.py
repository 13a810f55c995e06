"""Running the built app: the commands a fresh install must manage without Python or a checkout."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from installer_build import licenses

EXE_NAME = "ecrf.exe" if sys.platform == "win32" else "ecrf"
# The installation's own end-to-end check (temporary site, a visit, a form drawn offscreen, export, verify).
SELF_TEST = ["self-test"]


class SmokeFailure(Exception):
    """A command of the built app failed; the message names it and shows its output."""


def _run(exe: Path, args: list[str], env: dict[str, str], stdin: str = "", ok: tuple[int, ...] = (0,)) -> str:
    result = subprocess.run([str(exe), *args], input=stdin, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode not in ok:
        raise SmokeFailure(f"`ecrf {' '.join(args)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def smoke_test(folder: Path) -> list[str]:
    """Runs the built executable offscreen in a temporary data folder: the site's side, then the sponsor's.
    Returns the commands that passed, in order; raises SmokeFailure naming the first that failed."""
    exe = folder / EXE_NAME
    with tempfile.TemporaryDirectory(prefix="ecrf-smoke-") as tmp:
        data = Path(tmp)
        env = {**os.environ, "ECRF_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen", "ECRF_KDF_PROFILE": "fast"}
        env.pop("ECRF_FORMS", None)  # the built app's own forms/, not a checkout's
        return _about(exe, env) + _site_side(exe, env, data) + _sponsor_side(exe, env, data / "sponsor")


def _about(exe: Path, env: dict[str, str]) -> list[str]:
    """`ecrf about` (Help › About's facts) names every distribution the build bundled, with its version."""
    expected = {dist.metadata["Name"]: dist.version for dist in licenses.bundled()}
    problems = about_problems(_run(exe, ["about"], env), expected)
    if problems:
        raise SmokeFailure("`ecrf about` (as Help › About) does not tell what the build bundled:\n  "
                           + "\n  ".join(problems))
    return ["about"]


def about_problems(output: str, expected: dict[str, str]) -> list[str]:
    """What `ecrf about`'s component lines (name, version, licence; tab-separated) get wrong against `expected`
    (name: version): a distribution left out, a version blank ("?") or other than the one bundled."""
    shown = {}
    for line in output.splitlines():
        fields = line.split("\t")
        if len(fields) == 3:
            shown[fields[0]] = fields[1]
    problems = [f"{name}: not listed" for name in expected if name not in shown]
    problems += [f"{name}: version {shown[name]!r}, bundled {version}" for name, version in expected.items()
                 if name in shown and shown[name] != version]
    return problems


def _site_side(exe: Path, env: dict[str, str], data: Path) -> list[str]:
    db, out = data / "x.db", data / "out"
    out.mkdir()
    steps = [
        (["--help"], "", (0,)),
        (["check-forms"], "", (0,)),
        (SELF_TEST, "", (0,)),
        (["demo", "--db", str(db), "--subjects", "2"], "", (0,)),
        (["export", "--out", str(out), "--db", str(db), "--user", "nurse", "--password-stdin"],
         "demo-nurse-2020\n", (0,)),
    ]
    for args, stdin, ok in steps:
        _run(exe, args, env, stdin, ok)
    bundles = sorted(out.glob("*.zip"))
    if not bundles:
        raise SmokeFailure(f"`ecrf export` wrote no bundle into {out}")
    _run(exe, ["verify", str(bundles[0])], env, ok=(3,))  # intact, signer not checked: no trust registry here
    return [args[0] for args, _, _ in steps] + ["verify"]


def _sponsor_side(exe: Path, env: dict[str, str], sponsor: Path) -> list[str]:
    """Demo bundles of two sites merged into a central SQLite file, then the merged data set and report."""
    central = str(sponsor / "merged.db")
    steps = [
        ["demo", "--sponsor", str(sponsor), "--sites", "2", "--subjects", "1"],
        ["merge", str(sponsor / "bundles"), "--into", central, "--registry", str(sponsor / "trust-registry.json")],
        ["merged", "export", "--from", central, "--out", str(sponsor / "dataset")],
        ["merged", "report", "--from", central, "--out", str(sponsor / "report")],
    ]
    for args in steps:
        _run(exe, args, env)
    if not (sponsor / "report" / "merge-report.pdf").is_file():
        raise SmokeFailure(f"`ecrf merged report` wrote no merge-report.pdf into {sponsor / 'report'}")
    return ["demo --sponsor", "merge", "merged export", "merged report"]
