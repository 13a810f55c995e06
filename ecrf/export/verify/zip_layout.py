"""Only the signed members: every byte of a bundle belongs to one of its files or to the zip's own directory.

The signature covers the manifest, and the manifest covers each file's bytes; nothing covers the zip
around them. A reader such as `zipfile` happily skips what lies outside the entries, so a shell script
prepended to the zip, data appended after it, a zip or file comment, an extra field or a gap between two
entries would all travel inside a "verified" bundle. This module reads the zip's structure itself (not
through `zipfile`, which hides those bytes) and refuses anything a clean writer does not produce: the
entries follow each other from byte 0 without a gap, each local header says what the directory says, the
directory follows the last entry directly and the end record ends the file. Zip64 fields are allowed only
where Python's `zipfile` (the bundle writer) needs them, and then must hold exactly the sizes and offsets.
"""
from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from ecrf.errors import Localized
from ecrf.export.verify.zip_safety import UnsafeZip

_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # signature, version, flags, method, time, date, crc, sizes, name, extra
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # ... comment length, disk, attributes, local header offset
_END = struct.Struct("<4sHHHHIIH")  # signature, disks, entries (this disk, all), directory size and offset
_END64 = struct.Struct("<4sQHHIIQQQQ")  # zip64 end record without extensible data
_LOCATOR = struct.Struct("<4sIQI")  # where the zip64 end record is
_SIGNATURES = {"local": b"PK\x03\x04", "central": b"PK\x01\x02", "end": b"PK\x05\x06", "end64": b"PK\x06\x06",
               "locator": b"PK\x06\x07"}
_END64_SIZE = _END64.size - 12  # the record's own size field counts what follows it
_MARK32, _MARK16 = 0xFFFF_FFFF, 0xFFFF  # "see the zip64 field"
_ZIP64_FIELD = 0x0001
_DATA_DESCRIPTOR = 0x08
_COMMENT_SEARCH = 1 << 16  # an end record with its longest comment lies within the last 64 KiB
# zipfile writes a zip64 local header when the file is within 5% of its limit (deflate may grow the data).
_LOCAL_ZIP64_MARGIN = 1.05

LOCAL_HEADER = Localized("local header", "本地文件头")
DIRECTORY_RECORD = Localized("directory record", "目录记录")


@dataclass(frozen=True)
class _Entry:
    """One directory record, its zip64 values already applied."""

    name: str
    raw_name: bytes
    flags: int
    method: int
    time: int
    date: int
    crc: int
    compressed: int
    size: int
    offset: int


@dataclass(frozen=True)
class _Directory:
    start: int
    end: int  # where the zip64 end record or the end record starts
    entries: int
    offset_field: int  # the directory offset the end record states


def check_layout(file: BinaryIO, file_size: int, label: str) -> None:
    """Raise UnsafeZip naming the first byte range that is not a signed member or the zip structure."""
    try:
        directory = _read_end(file, file_size, label)
        entries = _read_directory(file, directory, label)
        _check_entries_fill_the_file(file, entries, directory, label)
    except struct.error as exc:  # a record cut short: zipfile read past it, so it was lying about lengths
        raise UnsafeZip("zip-structure-damaged", label=label, why=str(exc)) from None


# -- the end of the file -----------------------------------------------------------------------------------

def _read_end(file: BinaryIO, file_size: int, label: str) -> _Directory:
    """The end record must end the file, without a comment; a zip64 end record only where it is needed."""
    tail_start = max(0, file_size - _END.size - _COMMENT_SEARCH)
    tail = _read_at(file, tail_start, file_size - tail_start)
    at = tail.rfind(_SIGNATURES["end"])
    if at < 0 or len(tail) - at < _END.size:
        raise UnsafeZip("zip-structure-damaged", label=label, why="no end-of-directory record")
    _, disk, directory_disk, on_disk, entries, size, offset, comment = _END.unpack_from(tail, at)
    if comment:
        raise UnsafeZip("zip-comment", label=label, count=f"{comment:,}")
    trailing = len(tail) - at - _END.size
    if trailing:
        raise UnsafeZip("zip-bytes-after-end", label=label, count=f"{trailing:,}")
    if disk or directory_disk or on_disk != entries:
        raise UnsafeZip("zip-end-record-mismatch", label=label, what=_WHAT["disks"])
    end_at = tail_start + at
    if end_at >= _LOCATOR.size and _read_at(file, end_at - _LOCATOR.size, 4) == _SIGNATURES["locator"]:
        return _read_end64(file, end_at, (entries, size, offset), label)
    return _Directory(end_at - size, end_at, entries, offset)


def _read_end64(file: BinaryIO, end_at: int, end: tuple[int, int, int], label: str) -> _Directory:
    locator_at = end_at - _LOCATOR.size
    _, disk, record_at, disks = _LOCATOR.unpack(_read_at(file, locator_at, _LOCATOR.size))
    record = _read_at(file, locator_at - _END64.size, _END64.size)
    if disk or disks != 1 or record_at != locator_at - _END64.size or record[:4] != _SIGNATURES["end64"]:
        raise UnsafeZip("zip-end-record-mismatch", label=label, what=_WHAT["zip64-end"])
    _, record_size, _, _, disk, directory_disk, on_disk, entries, size, offset = _END64.unpack(record)
    if record_size != _END64_SIZE or disk or directory_disk or on_disk != entries:
        raise UnsafeZip("zip-end-record-mismatch", label=label, what=_WHAT["zip64-end"])
    if not (entries > zipfile.ZIP_FILECOUNT_LIMIT or size > zipfile.ZIP64_LIMIT or offset > zipfile.ZIP64_LIMIT):
        raise UnsafeZip("zip64-end-unneeded", label=label)
    # The classic record says the same, or "see zip64" where the value does not fit.
    for stated, real, mark in zip(end, (entries, size, offset), (_MARK16, _MARK32, _MARK32), strict=True):
        if stated not in (real, mark):
            raise UnsafeZip("zip-end-record-mismatch", label=label, what=_WHAT["zip64-end"])
    return _Directory(record_at - size, record_at, entries, offset)


# -- the directory -----------------------------------------------------------------------------------------

def _read_directory(file: BinaryIO, directory: _Directory, label: str) -> list[_Entry]:
    if directory.start < 0 or directory.offset_field > directory.start:
        raise UnsafeZip("zip-structure-damaged", label=label, why="the directory is not where the end record says")
    if directory.offset_field != directory.start:  # offsets written for a file that began elsewhere
        raise UnsafeZip("zip-bytes-before-first-entry", label=label,
                        count=f"{directory.start - directory.offset_field:,}")
    data = _read_at(file, directory.start, directory.end - directory.start)
    entries, at = [], 0
    while at < len(data):
        if data[at:at + 4] != _SIGNATURES["central"]:
            raise UnsafeZip("zip-structure-damaged", label=label, why="a directory record is out of place")
        entry, at = _central_record(data, at)
        entries.append(entry)
    if len(entries) != directory.entries:
        raise UnsafeZip("zip-end-record-mismatch", label=label, what=_WHAT["count"])
    return entries


def _central_record(data: bytes, at: int) -> tuple[_Entry, int]:
    (_, _, _, flags, method, time, date, crc, compressed, size, name_length, extra_length, comment_length,
     disk, _, _, offset) = _CENTRAL.unpack_from(data, at)
    start = at + _CENTRAL.size
    raw_name = data[start:start + name_length]
    name = _decoded(raw_name, flags)
    extra = data[start + name_length:start + name_length + extra_length]
    if comment_length:
        raise UnsafeZip("zip-entry-comment", name=name)
    if disk:
        raise UnsafeZip("zip-entry-header-mismatch", name=name, what=_WHAT["disks"])
    marked = [value == _MARK32 for value in (size, compressed, offset)]
    size, compressed, offset = _zip64_values(name, extra, marked, (size, compressed, offset), DIRECTORY_RECORD)
    needed = [max(size, compressed) > zipfile.ZIP64_LIMIT] * 2 + [offset > zipfile.ZIP64_LIMIT]
    if any(mark and not need for mark, need in zip(marked, needed, strict=True)):
        raise UnsafeZip("zip-entry-zip64-unneeded", name=name, header=DIRECTORY_RECORD)
    entry = _Entry(name, raw_name, flags, method, time, date, crc, compressed, size, offset)
    return entry, start + name_length + extra_length + comment_length


def _zip64_values(name: str, extra: bytes, marked: list[bool], values: tuple[int, ...],
                  header: Localized) -> tuple[int, ...]:
    """The values with the marked ones read from the zip64 field, which must hold exactly those."""
    if not extra:
        if any(marked):
            raise UnsafeZip("zip-entry-zip64-damaged", name=name, header=header)
        return values
    field, length = struct.unpack_from("<HH", extra)
    if field != _ZIP64_FIELD:
        raise UnsafeZip("zip-entry-extra-field", name=name, header=header, field=f"0x{field:04x}")
    count = sum(marked)
    if count == 0:  # a zip64 field with nothing to carry: bytes no file needs
        raise UnsafeZip("zip-entry-zip64-unneeded", name=name, header=header)
    if length != 8 * count or len(extra) != 4 + length:
        raise UnsafeZip("zip-entry-zip64-damaged", name=name, header=header)
    wide = iter(struct.unpack_from(f"<{count}Q", extra, 4))
    return tuple(next(wide) if mark else value for mark, value in zip(marked, values, strict=True))


# -- the entries, from byte 0 to the directory -------------------------------------------------------------

def _check_entries_fill_the_file(file: BinaryIO, entries: list[_Entry], directory: _Directory,
                                 label: str) -> None:
    at, previous = 0, None
    for entry in [*sorted(entries, key=lambda e: e.offset), None]:  # None: the directory, after the last
        start = entry.offset if entry else directory.start
        if start > at and previous is None:
            raise UnsafeZip("zip-bytes-before-first-entry", label=label, count=f"{start:,}")
        if start > at and previous is not None:
            raise UnsafeZip("zip-gap-after-entry", name=previous.name, count=f"{start - at:,}")
        if start < at and previous is not None:
            raise UnsafeZip("zip-entries-overlap", name=previous.name, label=label)
        if entry is not None:
            at, previous = _local_entry_end(file, entry), entry


def _local_entry_end(file: BinaryIO, entry: _Entry) -> int:
    """Where the entry's data end; its local header must say what the directory says."""
    name = entry.name
    fixed = _read_at(file, entry.offset, _LOCAL.size)
    if len(fixed) < _LOCAL.size or fixed[:4] != _SIGNATURES["local"]:
        raise UnsafeZip("zip-entry-no-local-header", name=name)
    _, _, flags, method, time, date, crc, compressed, size, name_length, extra_length = _LOCAL.unpack(fixed)
    rest = _read_at(file, entry.offset + _LOCAL.size, name_length + extra_length)
    raw_name, extra = rest[:name_length], rest[name_length:]
    if flags & _DATA_DESCRIPTOR or entry.flags & _DATA_DESCRIPTOR:
        raise UnsafeZip("zip-entry-data-descriptor", name=name)
    if extra:  # zipfile writes both sizes in a zip64 local header, each stated or marked
        marked = [True, True]
        wide_size, wide_compressed = _zip64_values(name, extra, marked, (size, compressed), LOCAL_HEADER)
        if not (entry.size * _LOCAL_ZIP64_MARGIN > zipfile.ZIP64_LIMIT or entry.compressed > zipfile.ZIP64_LIMIT):
            raise UnsafeZip("zip-entry-zip64-unneeded", name=name, header=LOCAL_HEADER)
        if size not in (wide_size, _MARK32) or compressed not in (wide_compressed, _MARK32):
            raise UnsafeZip("zip-entry-header-mismatch", name=name, what=_WHAT["sizes"])
        size, compressed = wide_size, wide_compressed
    pairs = {"name": (raw_name, entry.raw_name), "flags": (flags, entry.flags), "method": (method, entry.method),
             "time": ((time, date), (entry.time, entry.date)), "crc": (crc, entry.crc),
             "sizes": ((size, compressed), (entry.size, entry.compressed))}
    for what, (local, central) in pairs.items():
        if local != central:
            raise UnsafeZip("zip-entry-header-mismatch", name=name, what=_WHAT[what])
    return entry.offset + _LOCAL.size + name_length + extra_length + compressed


_WHAT = {
    "name": Localized("name", "名称"), "flags": Localized("flags", "标志位"),
    "method": Localized("compression method", "压缩方法"), "time": Localized("modification time", "修改时间"),
    "crc": Localized("CRC-32", "CRC-32"), "sizes": Localized("sizes", "大小"),
    "disks": Localized("disk numbers", "磁盘编号"), "count": Localized("number of entries", "条目数"),
    "zip64-end": Localized("zip64 end record", "zip64 结束记录"),
}


def _decoded(raw: bytes, flags: int) -> str:
    return raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")


def _read_at(file: BinaryIO, offset: int, length: int) -> bytes:
    file.seek(offset)
    return file.read(length)
