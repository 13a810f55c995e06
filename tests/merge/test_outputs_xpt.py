"""The SAS transport files read back by an independent reader (pyreadstat, i.e. ReadStat) equal the CSV files."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyreadstat
import pytest

from ecrf.errors import Bug
from ecrf.export.bundle import layout
from ecrf.merge.outputs.sources import as_utc
from ecrf.merge.outputs.xpt_files import VARIABLES_CSV, cells, size_columns
from ecrf.merge.outputs.xpt_format import MAX_CHAR, fits_ibm, ibm_float, write_member
from ecrf.merge.outputs.xpt_plan import Column, fit_label, plan, sas_name
from tests.merge.merged_set import csv_rows, export, fill_central


@pytest.fixture(scope="module")
def merged(tmp_path_factory, multi_site, study):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("merged-xpt")
    return export(fill_central(root / "central.db", multi_site.newest(), study), root / "set", study)


def _read(path: Path) -> tuple[dict, object]:  # type: ignore[type-arg]
    return pyreadstat.read_xport(str(path), output_format="dict", encoding="utf-8")


@pytest.mark.req("MERGE-OUT")
def test_every_xpt_file_reads_back_to_the_values_of_its_csv_file(merged, study) -> None:  # type: ignore[no-untyped-def]
    header, *described = csv_rows((merged.folder / VARIABLES_CSV).read_bytes())
    at = {name: n for n, name in enumerate(header)}
    checked = 0
    for dataset in plan(study):
        source = layout.SUBJECTS if dataset.form is None else layout.form_csv(dataset.form.code)
        csv_header, *rows = csv_rows((merged.folder / source).read_bytes())
        data, meta = _read(merged.folder / dataset.file)
        mine = [row for row in described if row[at["dataset"]] == dataset.name]
        assert [row[at["column"]] for row in mine] == csv_header  # every column, in the CSV's order
        assert meta.column_names == [row[at["variable"]] for row in mine]
        assert meta.number_rows == len(rows) and meta.table_name == dataset.name
        for n, row in enumerate(mine):
            read = data[row[at["variable"]]]
            for record, value in zip(rows, read, strict=True):
                cell = record[n]
                if row[at["type"]] == "numeric":
                    assert value == (float(cell) if cell else None), (dataset.name, row[at["variable"]], cell)
                else:
                    assert value == fit_label(cell, MAX_CHAR).rstrip(" "), (dataset.name, row[at["variable"]])
                checked += 1
    assert checked > 1000


@pytest.mark.req("MERGE-OUT")
def test_names_labels_and_types_follow_version_5_and_the_definition(merged, study) -> None:  # type: ignore[no-untyped-def]
    header, *described = csv_rows((merged.folder / VARIABLES_CSV).read_bytes())
    at = {name: n for n, name in enumerate(header)}
    for dataset in plan(study):
        names = [row[at["variable"]] for row in described if row[at["dataset"]] == dataset.name]
        assert len(names) == len(set(names)) and len(dataset.name) <= 8
        assert all(len(name) <= 8 and name == name.upper() and name.isascii() for name in names)
    assert all(len(row[at["label"]].encode()) <= 40 for row in described)
    types = {row[at["item_type"]]: row[at["type"]] for row in described if row[at["item_type"]]}
    assert types["decimal"] == types["integer"] == "numeric"
    assert types["date"] == types["partial_date"] == types["text"] == types["single_choice"] == "character"
    temperature = next(row for row in described if row[at["column"]] == "TEMP_VSORRES")
    assert (temperature[at["variable"]], temperature[at["type"]]) == ("TEMP", "numeric")
    missing = next(row for row in described if row[at["column"]] == "TEMP_VSORRES_MISSING")
    assert missing[at["missing_code_of"]] == "TEMP" and missing[at["type"]] == "character"


@pytest.mark.req("MERGE-OUT")
def test_the_headers_are_stamped_with_the_data_as_of_time(merged) -> None:  # type: ignore[no-untyped-def]
    _, meta = _read(merged.folder / "xpt" / "vs.xpt")
    as_of = as_utc(merged.data_as_of).replace(tzinfo=None, microsecond=0)
    assert meta.creation_time == meta.modification_time == as_of


def test_ibm_floats_match_the_published_examples() -> None:
    # SAS TS-140's examples and the exact conversions of IEEE doubles (53 bits fit the 56-bit fraction).
    assert ibm_float(1.0).hex() == "4110000000000000"
    assert ibm_float(-118.625).hex() == "c276a00000000000"
    assert ibm_float(0.1).hex() == "401999999999999a"
    assert ibm_float(0.0) == bytes(8)
    assert not fits_ibm(1e300) and not fits_ibm(float("inf")) and fits_ibm(-7e75) and fits_ibm(6e-79)
    with pytest.raises(Bug):
        ibm_float(1e300)


def test_long_text_is_cut_at_200_bytes_on_a_character_boundary_and_numbers_that_are_not_become_text(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    columns = [Column("TXT", "text", "Text", False), Column("DOSE", "dose", "Dose", True),
               Column("WT", "weight", "Weight", True)]
    rows = [["中" * 100, "1.5", "70"], ["short", "n/a", ""], ["", "1e300", "-0.5"]]
    sized = size_columns(columns, rows)
    assert [(s.variable.numeric, s.variable.length, s.values_cut) for s in sized] == [
        (False, 200, 1), (False, 5, 0), (True, 8, 0)]
    path = tmp_path / "t.xpt"
    with path.open("wb") as out:
        variables = [s.variable for s in sized]
        write_member(out, "T", "A test", variables, (cells(variables, row) for row in rows), datetime(2020, 2, 3))
    data, meta = _read(path)
    assert data["TXT"] == ["中" * 66, "short", ""] and data["DOSE"] == ["1.5", "n/a", "1e300"]
    assert data["WT"] == [70.0, None, -0.5]
    assert path.stat().st_size % 80 == 0 and meta.creation_time == datetime(2020, 2, 3)


def test_names_that_do_not_fit_are_cut_and_numbered_and_stay_unique() -> None:
    taken: set[str] = set()
    assert sas_name(["TEMP_VSORRES", "VSORRES", "TEMP"], taken) == "VSORRES"
    assert sas_name(["TEMP_VSORRES", "VSORRES", "TEMP"], taken) == "TEMP"
    assert sas_name(["PULSE_VSORRES", "VSORRES"], taken) == "PULSE_VS"
    assert sas_name(["PULSE_VSORRES", "VSORRES"], taken) == "PULSE_V2"
    assert sas_name(["1st-dose"], taken) == "_1ST_DOS"
    assert fit_label("é" * 30) == "é" * 20 and fit_label("a" + "é" * 30) == "a" + "é" * 19
