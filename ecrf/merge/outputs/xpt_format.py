"""SAS transport files, version 5 (the "XPORT" format of SAS TS-140, the one FDA accepts), written by hand.

Why not a library: pyreadstat's writer needs pandas and stamps the files with the current time (no way to set
it), and the `xport` package is unmaintained and needs pandas too; the format is small. Everything here is
fixed by the inputs: the created/modified stamps are the data-as-of time given by the caller, so the same data
gives the same bytes.

The layout: 80-byte records. A library header, then per member (data set) a member header, the descriptor,
one 140-byte NAMESTR per variable, and the observations packed back to back, the last record padded with
blanks. Numbers are 8-byte IBM System/370 floating point (base 16, 7-bit exponent biased by 64, 56-bit
fraction): every IEEE double converts exactly, since its 53-bit fraction fits in 56 bits at any hex alignment.
A missing number is '.' followed by seven zero bytes.
"""
from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from ecrf.errors import Bug

RECORD = 80
NAMESTR = 140
MAX_CHAR = 200  # the longest character variable version 5 can hold, in bytes
NUMERIC, CHARACTER = 1, 2
MISSING = b"." + bytes(7)
SAS_VERSION = b"9.4"
OS_NAME = b"ecrf"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

Value = float | str | None


@dataclass(frozen=True)
class Variable:
    name: str  # at most 8 characters, upper case (xpt_names)
    label: str  # at most 40 bytes once encoded
    numeric: bool
    length: int  # 8 for a number; 1 to 200 bytes for text


def header_line(kind: str, numbers: str = "0" * 30) -> bytes:
    """One 'HEADER RECORD*******…' line."""
    return _record(f"HEADER RECORD*******{kind:<8}HEADER RECORD!!!!!!!{numbers}  ".encode("ascii"))


def sas_time(moment: datetime) -> bytes:
    """ddMMMyy:hh:mm:ss, the 16-character stamp of the headers."""
    return (f"{moment.day:02d}{_MONTHS[moment.month - 1]}{moment.year % 100:02d}:"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}").encode("ascii")


def ibm_float(number: float) -> bytes:
    """An IEEE double as an 8-byte IBM System/370 float (exact); NaN is the SAS missing value."""
    if math.isnan(number):
        return MISSING
    if number == 0:
        return bytes(8)
    if not fits_ibm(number):  # callers check first (a value that does not fit is written as text)
        raise Bug(f"{number!r} is beyond what an IBM float can hold")
    mantissa, exponent = math.frexp(abs(number))  # number = mantissa * 2**exponent, 0.5 <= mantissa < 1
    hex_exponent = -(-exponent // 4)  # ceil(exponent / 4): number = fraction * 16**hex_exponent
    fraction = int(mantissa * 2 ** (56 - (4 * hex_exponent - exponent)))  # exact: 53 bits shifted left
    return bytes([(hex_exponent + 64) | (0x80 if number < 0 else 0)]) + fraction.to_bytes(7, "big")


def fits_ibm(number: float) -> bool:
    """Whether a finite number is within an IBM float's range (about 5.4e-79 to 7.2e75 in magnitude), or 0."""
    if number == 0:
        return True
    if not math.isfinite(number):
        return False
    return 0 <= -(-math.frexp(abs(number))[1] // 4) + 64 <= 127


def write_member(out: BinaryIO, name: str, label: str, variables: Sequence[Variable],
                 rows: Iterable[Sequence[Value]], when: datetime) -> int:
    """A whole transport file holding one data set; the number of observations written."""
    stamp = sas_time(when)
    out.write(header_line("LIBRARY"))
    out.write(_record(b"SAS     SAS     SASLIB  " + _pad(SAS_VERSION, 8) + _pad(OS_NAME, 8) + b" " * 24 + stamp))
    out.write(_record(stamp))
    out.write(header_line("MEMBER", "000000000000000001600000000140"))
    out.write(header_line("DSCRPTR"))
    out.write(_record(b"SAS     " + _pad(name.encode("ascii"), 8) + b"SASDATA " + _pad(SAS_VERSION, 8)
                      + _pad(OS_NAME, 8) + b" " * 24 + stamp))
    out.write(_record(stamp + b" " * 16 + _pad(label.encode("utf-8"), 40) + b" " * 8))
    out.write(header_line("NAMESTR", f"000000{len(variables):04d}00000000000000000000"))
    out.write(_padded(b"".join(_namestr(n, v, _position(variables, n)) for n, v in enumerate(variables))))
    out.write(header_line("OBS"))
    return _observations(out, variables, rows)


def _namestr(number: int, variable: Variable, position: int) -> bytes:
    if len(variable.name) > 8 or not variable.name.isascii():
        raise Bug(f"XPT variable name {variable.name!r} is not a version 5 name")
    return (struct.pack(">hhhh", NUMERIC if variable.numeric else CHARACTER, 0, variable.length, number + 1)
            + _pad(variable.name.encode("ascii"), 8) + _pad(variable.label.encode("utf-8"), 40)
            + b" " * 8 + struct.pack(">hhh", 0, 0, 0) + bytes(2)  # no format: width, decimals, justification
            + b" " * 8 + struct.pack(">hh", 0, 0)  # no informat
            + struct.pack(">i", position) + bytes(52))


def _position(variables: Sequence[Variable], index: int) -> int:
    return sum(variable.length for variable in variables[:index])


def _observations(out: BinaryIO, variables: Sequence[Variable], rows: Iterable[Sequence[Value]]) -> int:
    written = size = 0
    for row in rows:
        record = b"".join(_cell(variable, value) for variable, value in zip(variables, row, strict=True))
        out.write(record)
        written, size = written + 1, size + len(record)
    if size % RECORD:
        out.write(b" " * (RECORD - size % RECORD))
    return written


def _cell(variable: Variable, value: Value) -> bytes:
    if variable.numeric:
        return MISSING if value is None or value == "" else ibm_float(float(value))
    data = ("" if value is None else str(value)).encode("utf-8")
    if len(data) > variable.length:
        raise Bug(f"XPT {variable.name}: {len(data)} bytes in a variable of {variable.length}")
    return data.ljust(variable.length, b" ")


def _pad(data: bytes, size: int) -> bytes:
    if len(data) > size:
        raise Bug(f"{data!r} does not fit in {size} bytes")
    return data.ljust(size, b" ")


def _record(data: bytes) -> bytes:
    if len(data) > RECORD:
        raise Bug(f"an XPT header record of {len(data)} bytes")
    return data.ljust(RECORD, b" ")


def _padded(data: bytes) -> bytes:
    return data + b" " * (-len(data) % RECORD)
