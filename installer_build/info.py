"""The build record: sizes, SHA-256 sums, version and commit, written as BUILD-INFO.txt and printed."""
from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from installer_build.plan import ROOT


def app_version(root: Path = ROOT) -> str:
    return str(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def git_commit(root: Path = ROOT) -> str:
    """The commit built, with '+changes' when the working tree differs from it; 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def folder_sha256(folder: Path, skip: str = "BUILD-INFO.txt") -> str:
    """One SHA-256 over every file's relative path and SHA-256, in path order (the record itself left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != skip):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def build_info(folder: Path, name: str, seconds: float) -> str:
    """BUILD-INFO.txt's text: what was built, from which commit, when, and the folder's size and checksum."""
    lines = [
        f"app: ecrf {app_version()}",
        f"platform: {platform_tag()} (Python {platform.python_version()})",
        f"git commit: {git_commit()}",
        f"built: {datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')} in {seconds:.0f} s",
        f"folder: {name}",
        f"size: {folder_size(folder)} bytes ({megabytes(folder_size(folder))}) unpacked",
        f"sha256 (every file but this one, by path): {folder_sha256(folder)}",
    ]
    return "\n".join(lines) + "\n"

