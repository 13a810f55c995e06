"""Reading a bundle zip that may be hostile: damaged, truncated, a zip bomb or full of tricky names.

Nothing is ever extracted to disk. The central directory is checked as a whole before any entry is read
(entry count, names, kinds, declared sizes and ratios, overlapping entries), then the bytes around the
entries (`zip_layout`: nothing but the signed members may be in the file), and every read is counted as
it streams, so an entry whose header lies about its size is stopped at the limit, not after.
Every refusal is an `UnsafeZip` whose reason starts with the entry (or the zip) it is about.
"""
from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Self

from ecrf.export.errors import VerificationRefused

CHUNK = 1 << 20
_LOCAL_HEADER = 30  # fixed part of a local file header; the name follows it
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What a damaged or lying entry can raise while it is read (zipfile, zlib, or the file underneath).
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class ZipLimits:
    """Far above any real bundle (1,000 subjects make a few hundred MB), far below what hurts a laptop."""

    max_entries: int = 100_000
    max_entry_size: int = 4 << 30
    max_total_size: int = 16 << 30
    max_ratio: int = 250  # uncompressed / compressed; real CSV and XML stay well under 50
    ratio_floor: int = 16 << 20  # below this size an entry is never refused for its ratio


class UnsafeZip(VerificationRefused):
    """The zip is damaged or hostile; the reason starts with the entry (or the zip) it is about."""

    @property
    def reason(self) -> str:
        return self.message


def name_problem(name: str) -> str | None:
    """Why an entry name is not a plain relative POSIX path inside the bundle, or None."""
    if not name:
        return "has an empty name"
    if "\x00" in name:
        return "has a NUL character in its name (a trick to hide the real name)"
    if "\\" in name:
        return "has a backslash in its name; bundle paths use '/' only"
    if name.startswith("/"):
        return "is an absolute path; bundle paths are relative"
    if _DRIVE.match(name):
        return "starts with a drive letter; bundle paths are relative"
    if _CONTROL.search(name):
        return "has a control character in its name"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "climbs out of the bundle folder ('..')"
    if "" in parts or "." in parts:
        return "has an empty or '.' part in its path"
    return None


class SafeZip:
    """A bundle zip opened for checking: `names()`, then `stream` / `read` / `sha256_and_size` per entry."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.label = path.name
        self.limits = limits or ZipLimits()
        self._read_by_entry: dict[str, int] = {}
        self._read_total = 0
        self._zip = _open_zip(path)
        try:
            self._infos = _checked_entries(self._zip, self.limits, self.label)
            _check_only_members(path, self.label)
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        """Every entry, in zip order."""
        return list(self._infos)

    def declared_size(self, name: str) -> int:
        return self._info(name).file_size

    def open(self, name: str) -> BinaryIO:
        """A binary reader of the entry that enforces the limits as it goes (for parsers that want a file)."""
        info = self._info(name)
        try:
            raw = self._zip.open(info)
        except _READ_ERRORS as exc:
            raise UnsafeZip("zip-entry-damaged", name=name, why=_why(exc)) from None
        return io.BufferedReader(_GuardedEntry(self, info, raw), CHUNK)

    def stream(self, name: str) -> Iterator[bytes]:
        with self.open(name) as reader:
            while chunk := reader.read(CHUNK):
                yield chunk

    def read(self, name: str) -> bytes:
        """The whole entry in memory: for the manifest and one PDF at a time, never for a large CSV."""
        return b"".join(self.stream(name))

    def sha256_and_size(self, name: str) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        for chunk in self.stream(name):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise UnsafeZip("zip-entry-missing", name=name) from None

    def _count(self, info: zipfile.ZipInfo, read_so_far: int) -> None:
        """Called as an entry streams: stop a lying header or a bomb at the limit, not after."""
        name, limits = info.filename, self.limits
        if read_so_far > info.file_size:
            raise UnsafeZip("zip-entry-larger-than-declared", name=name, size=f"{info.file_size:,}")
        if read_so_far > limits.max_entry_size:
            raise UnsafeZip("zip-entry-too-large", name=name, limit=f"{limits.max_entry_size:,}")
        if read_so_far > limits.ratio_floor and read_so_far > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeZip("zip-entry-ratio", name=name, ratio=limits.max_ratio)
        previous = self._read_by_entry.get(name, 0)
        if read_so_far > previous:  # reading an entry twice does not count twice
            self._read_by_entry[name] = read_so_far
            self._read_total += read_so_far - previous
        if self._read_total > limits.max_total_size:
            raise UnsafeZip("zip-total-too-large", label=self.label, limit=f"{limits.max_total_size:,}")


class _GuardedEntry(io.RawIOBase):
    def __init__(self, owner: SafeZip, info: zipfile.ZipInfo, raw: IO[bytes]) -> None:
        self._owner, self._info, self._raw, self._done = owner, info, raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # io passes a memoryview
        try:
            data = self._raw.read(min(len(buffer), CHUNK))
        except _READ_ERRORS as exc:
            raise UnsafeZip("zip-entry-damaged", name=self._info.filename, why=_why(exc)) from None
        self._done += len(data)
        self._owner._count(self._info, self._done)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open_zip(path: Path) -> zipfile.ZipFile:
    label = path.name or str(path)
    if not path.exists():
        raise UnsafeZip("bundle-file-missing", label=label)
    if path.is_dir():
        raise UnsafeZip("bundle-is-folder", label=label)
    try:
        if path.stat().st_size == 0:
            raise UnsafeZip("bundle-file-empty", label=label)
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnsafeZip("bundle-not-zip", label=label, why=_why(exc)) from None
    except OSError as exc:
        raise UnsafeZip("bundle-unreadable", label=label, reason=exc.strerror or exc) from None
    except (ValueError, NotImplementedError, RuntimeError, EOFError) as exc:
        raise UnsafeZip("bundle-zip-unreadable", label=label, why=_why(exc)) from None


def _checked_entries(archive: zipfile.ZipFile, limits: ZipLimits, label: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeZip("zip-too-many-entries", label=label, count=f"{len(infos):,}", limit=f"{limits.max_entries:,}")
    entries: dict[str, zipfile.ZipInfo] = {}
    declared_total = 0
    for info in infos:
        name = info.orig_filename  # zipfile's `filename` has NULs cut off and (on Windows) backslashes turned
        problem = name_problem(name) or _kind_problem(info) or _size_problem(info, limits)
        if problem is None and name in entries:
            problem = "appears twice in the zip"
        if problem:  # a name with control characters is shown quoted, so the terminal shows what is there
            raise UnsafeZip("zip-entry-name-refused", name=repr(name) if _CONTROL.search(name) else name,
                            problem=problem)
        entries[name] = info
        declared_total += info.file_size
    if declared_total > limits.max_total_size:
        raise UnsafeZip("zip-declared-too-large", label=label, total=f"{declared_total:,}",
                        limit=f"{limits.max_total_size:,}")
    _check_folders_are_not_files(entries)
    _check_no_overlap(archive, infos, label)
    return entries


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link; a bundle holds only files"
    if info.orig_filename.endswith("/") or stat.S_ISDIR(mode) or info.external_attr & 0x10:
        return "is a folder entry; a bundle holds only files"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return "is a special file (device, pipe or socket); a bundle holds only files"
    if info.flag_bits & 0x1:
        return "is encrypted; a bundle is never encrypted"
    if info.compress_type not in _METHODS:
        return f"uses compression method {info.compress_type}; a bundle uses only stored or deflated"
    return None


def _size_problem(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    if info.file_size > limits.max_entry_size:
        return f"declares {info.file_size:,} bytes, more than the {limits.max_entry_size:,} allowed (a zip bomb?)"
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return f"would expand more than {limits.max_ratio} times (a zip bomb?)"
    return None


def _check_folders_are_not_files(entries: dict[str, zipfile.ZipInfo]) -> None:
    folders = {name[:at] for name in entries for at, char in enumerate(name) if char == "/"}  # every parent
    clash = sorted(folders & entries.keys())
    if clash:
        raise UnsafeZip("zip-file-and-folder", name=clash[0])


def _check_no_overlap(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], label: str) -> None:
    """Entries sharing compressed bytes are the 'overlapping zip bomb' (and never made by a real writer)."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    ends = [i.header_offset for i in ordered[1:]] + [archive.start_dir]
    for info, next_start in zip(ordered, ends, strict=True):
        name_length = len(info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                                    errors="replace"))
        if info.header_offset < 0 or info.header_offset + _LOCAL_HEADER + name_length + info.compress_size > next_start:
            raise UnsafeZip("zip-entries-overlap", name=info.orig_filename, label=label)


def _check_only_members(path: Path, label: str) -> None:
    """Nothing but the entries and the zip's own structure: no prepended, hidden or trailing bytes."""
    from ecrf.export.verify.zip_layout import check_layout  # it raises this module's UnsafeZip

    try:
        with path.open("rb") as raw:
            check_layout(raw, path.stat().st_size, label)
    except OSError as exc:
        raise UnsafeZip("bundle-unreadable", label=label, reason=exc.strerror or exc) from None


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
