"""Build the installable app for the platform this runs on: `python build_installer.py [--out DIR] [--smoke-test]`.

A PyInstaller one-folder build (installer_build/ecrf.spec; one-file would unpack to a temporary folder on
every start, which locked-down PCs and antivirus block) with forms/, resources/, Qt's translations, the ODM
schema and only the Qt parts the app uses, plus LICENSES/ and BUILD-INFO.txt. Then per OS: Linux a .tar.gz
with a desktop entry, Windows an Inno Setup script (compiled when Inno Setup is installed), macOS ecrf.app
(with LICENSES/ and BUILD-INFO.txt in Contents/Resources) zipped.
Everything is built under a `.partial` name and renamed when complete, so a failed build never leaves
something that looks finished. Needs the `build` extra: pip install -e '.[build]'.
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installer_build import info, licenses, linux, macos, plan, smoke, windows

SPEC = plan.ROOT / "installer_build" / "ecrf.spec"


class BuildError(Exception):
    """The build cannot go on; the message says what is missing or failed and what to do."""


def check_prerequisites() -> None:
    """Names every missing thing at once, before a multi-minute build starts."""
    missing = []
    if importlib.util.find_spec("PyInstaller") is None:
        missing.append("PyInstaller (install it with: pip install -e '.[build]')")
    missing += plan.missing_sources()
    if missing:
        raise BuildError("cannot build the installer, missing: " + "; ".join(missing))


def run_pyinstaller(dist: Path, work: Path, log: Path) -> Path:
    """The one-folder app in dist/ecrf (and dist/ecrf.app on macOS); PyInstaller's output goes to `log`."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=plan.ROOT)
    if result.returncode != 0:
        tail = "".join(log.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)[-20:])
        raise BuildError(f"PyInstaller failed (exit {result.returncode}); the end of {log}:\n{tail}")
    return dist / plan.APP_NAME


def check_folder(folder: Path) -> None:
    """What must be in the finished folder (LICENSES/ written), what must not, and its size."""
    problems = [f"unused Qt module in the build: {p.relative_to(folder)}" for p in plan.forbidden_files(folder)]
    internal = folder / "_internal"
    problems += [f"no metadata of {dist} in the build, so Help › About cannot tell its version (see "
                 "installer_build/licenses.py stage_metadata)" for dist in licenses.missing_metadata(internal)]
    if not (folder / "LICENSES" / "THIRD-PARTY.txt").is_file():
        problems.append("missing from the build: LICENSES/THIRD-PARTY.txt")
    problems += size_problems(folder)
    for needed in ("forms/study.yaml", "resources/translations/ecrf_zh_CN.qm",
                   "odmlib/schemas/odm/1.3.2/ODM1-3-2.xsd", "ecrf/store/migrations/env.py"):
        if not (internal / needed).is_file():
            problems.append(f"missing from the build: _internal/{needed}")
    if not any(internal.glob("_rl_accel*")):  # loaded by reportlab through exec(): PyInstaller cannot see it
        problems.append("missing from the build: reportlab's C helpers (_rl_accel; pip install 'reportlab[accel]')")
    if sys.platform.startswith("linux"):
        problems += [f"the xcb platform plugin's {lib} is not on this machine, so not in the build (install it: "
                     "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 "
                     "libxcb-render-util0 libxkbcommon-x11-0)" for lib in linux.missing_xcb_libraries(folder)]
    if problems:
        raise BuildError("the built folder is not right:\n  " + "\n  ".join(problems))


def size_problems(folder: Path, goal: int = plan.SIZE_GOAL) -> list[str]:
    """Above the size goal (issue #15, README): the size, and the largest parts to look at first."""
    size = info.folder_size(folder)
    if size <= goal:
        return []
    parts = sorted(((info.folder_size(p) if p.is_dir() else p.stat().st_size, p.relative_to(folder))
                    for p in (folder / "_internal").iterdir()), reverse=True)[:6]
    return [f"the folder is {info.megabytes(size)} unpacked, above the goal of {info.megabytes(goal)}; its largest "
            "parts: " + ", ".join(f"{name} {info.megabytes(part)}" for part, name in parts)]


def package(folder: Path, out: Path, name: str) -> list[Path]:
    """The per-OS packages of the finished folder (already under its final name)."""
    if sys.platform.startswith("linux"):
        return [linux.make_tarball(folder, out / f"{name}.tar.gz")]
    if sys.platform == "win32":
        script = windows.write_iss(folder, info.app_version(), out, f"{name}-setup")
        setup = out / f"{name}-setup.exe"
        if windows.compile_iss(script):
            return [setup]
        print(f"Inno Setup (ISCC) not found: wrote {script}; install Inno Setup 6 and run: ISCC {script}")
        return [script]
    if sys.platform == "darwin":
        return [macos.make_zip(out / macos.APP, out / f"{name}.zip")]
    return []


def build(out: Path, run_smoke_test: bool) -> Path:
    started = time.monotonic()
    check_prerequisites()
    out.mkdir(parents=True, exist_ok=True)
    name = f"ecrf-{info.app_version()}-{info.platform_tag()}"
    final = out / name
    for stale in out.glob(f"{name}*.*"):  # an older build's packages must not sit beside a newer folder
        if stale.is_file():
            stale.unlink()
    with tempfile.TemporaryDirectory(prefix="ecrf-build-") as tmp:
        dist = out / f"{name}.partial"
        shutil.rmtree(dist, ignore_errors=True)
        print(f"building {name} with PyInstaller (a minute or more) …", flush=True)
        built = run_pyinstaller(dist, Path(tmp) / "work", Path(tmp) / "pyinstaller.log")
        licenses.write_licences(built)
        if sys.platform.startswith("linux"):
            linux.add_desktop_entry(built)
        check_folder(built)
        if run_smoke_test:
            print("smoke test: " + ", ".join(smoke.smoke_test(built)) + ": passed", flush=True)
        record = info.build_info(built, name, time.monotonic() - started)
        (built / "BUILD-INFO.txt").write_text(record, encoding="utf-8")
        if sys.platform == "darwin":  # the bundle was made before LICENSES/ and BUILD-INFO.txt were written
            macos.finish_app(dist / macos.APP, record)
        shutil.rmtree(final, ignore_errors=True)
        built.replace(final)
        if sys.platform == "darwin":
            shutil.rmtree(out / macos.APP, ignore_errors=True)
            (dist / macos.APP).replace(out / macos.APP)
        shutil.rmtree(dist, ignore_errors=True)
    packages = package(final, out, name)
    print(f"built in {time.monotonic() - started:.0f} s:")
    print(f"{final}\n" + (final / "BUILD-INFO.txt").read_text(encoding="utf-8"))
    for path in packages:
        digest = info.file_sha256(path)
        path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
        size = path.stat().st_size
        print(f"{path}\n  size: {size} bytes ({info.megabytes(size)})\n  sha256: {digest}")
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=plan.ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="run the built app's commands offscreen before calling the build finished")
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), args.smoke_test)
    except (BuildError, plan.PlanError, smoke.SmokeFailure) as exc:
        print(f"build_installer: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build_installer: {exc.cmd[0]} failed with exit {exc.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
