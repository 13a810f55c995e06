"""schema_problems on files that are not ODM, are hostile, or cannot be checked: messages, never exceptions."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from ecrf.export.odm import schema as odm_schema
from ecrf.export.odm.schema import schema_problems

MINIMAL = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
           b'<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" FileType="Snapshot" FileOID="F.1"\n'
           b'     CreationDateTime="2026-01-01T00:00:00Z" ODMVersion="1.3.2">\n'
           b'  <ClinicalData StudyOID="S" MetaDataVersionOID="MDV.1">\n'
           b'    <SubjectData SubjectKey="001"/>\n'
           b'  </ClinicalData>\n'
           b'</ODM>\n')

LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + b"".join(f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
                     for n in range(1, 10))
          + b']>\n<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" FileType="Snapshot" FileOID="x" '
            b'CreationDateTime="2020-01-01T00:00:00Z"><Study OID="x">&lol9;</Study></ODM>\n')

EXTERNAL = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            b'<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" FileType="Snapshot" FileOID="x" '
            b'CreationDateTime="2020-01-01T00:00:00Z">&e;</ODM>\n')


def test_a_minimal_odm_file_is_valid_from_a_path_or_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "odm.xml"
    path.write_bytes(MINIMAL)
    assert schema_problems(path) == []
    assert schema_problems(io.BytesIO(MINIMAL)) == []


@pytest.mark.parametrize("content, expected", [
    (b"", "not well-formed"),
    (b"name,value\nAGE,42\n", "line 1: not well-formed"),
    (MINIMAL[:-30], "not well-formed"),
    (b'<odm xmlns="http://example.com/other"/>', "line 1:"),
    (MINIMAL.replace(b'SubjectKey="001"', b'SubjectKey="001" Colour="red"'), "line 5: "),
])
def test_what_is_not_odm_gets_a_message_with_a_line(content: bytes, expected: str) -> None:
    problems = schema_problems(io.BytesIO(content))
    assert problems and expected in problems[0], problems


def test_a_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    problems = schema_problems(io.BytesIO(LAUGHS))
    assert problems
    assert time.perf_counter() - started < 5


def test_an_external_entity_is_never_read() -> None:
    problems = schema_problems(io.BytesIO(EXTERNAL))
    assert problems
    assert not any("root:" in p for p in problems)  # /etc/passwd's first line never shows up


def test_a_missing_file_or_schema_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "cannot be read" in schema_problems(tmp_path / "nowhere.xml")[0]
    monkeypatch.setattr(odm_schema, "schema_path", lambda: None)
    odm_schema.odm_schema.cache_clear()
    try:
        assert "odmlib" in schema_problems(io.BytesIO(MINIMAL))[0]
    finally:
        odm_schema.odm_schema.cache_clear()


def test_the_limit_caps_the_messages() -> None:
    many = MINIMAL.replace(b'    <SubjectData SubjectKey="001"/>\n',
                           b"".join(f'    <SubjectData SubjectKey="{n}" Bad="1"/>\n'.encode() for n in range(10)))
    assert len(schema_problems(io.BytesIO(many), limit=3)) == 3


def test_the_schema_comes_from_the_odmlib_package() -> None:
    path = odm_schema.schema_path()
    assert path is not None and path.name == "ODM1-3-2.xsd" and "odmlib" in path.parts
