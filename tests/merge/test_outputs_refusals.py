"""Bad inputs to `ecrf merged export`: refused with a message, and never a half-written data set."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ecrf.cli.main import main
from ecrf.export.bundle import layout
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.errors import CentralDatabaseError
from ecrf.merge.outputs import export as export_module
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.study.loader import load_study
from tests.conftest import FORMS
from tests.merge.merged_set import bundle_member, export, fill_central


@pytest.fixture(scope="module")
def central(tmp_path_factory, multi_site, study) -> str:  # type: ignore[no-untyped-def]
    """Two sites merged; read-only for the tests (a test that changes it copies it first)."""
    root = tmp_path_factory.mktemp("merged-refusals")
    return fill_central(root / "central.db", [s.bundles[-1] for s in multi_site.sites[:2]], study)


def _copy(central: str, tmp_path: Path) -> str:
    return str(shutil.copy(central, tmp_path / "copy.db"))


def _nothing_left(parent: Path, name: str) -> bool:
    return not (parent / name).exists() and not [p for p in parent.iterdir() if p.name.startswith(f".{name}.")]


@pytest.mark.req("MERGE-OUT")
def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path, central, study) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "set"
    out.mkdir()
    (out / "analysis.sas").write_text("keep me")
    with pytest.raises(MergedOutputError) as refused:
        export(central, out, study)
    assert refused.value.code == "merged-out-not-empty"
    assert [p.name for p in out.iterdir()] == ["analysis.sas"]
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(central, empty, study).folder == empty and (empty / "MANIFEST.txt").is_file()


@pytest.mark.req("MERGE-OUT")
def test_a_file_or_a_missing_parent_folder_is_refused(tmp_path, central, study) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "file").write_text("x")
    for out, code in ((tmp_path / "file", "merged-out-not-folder"),
                      (tmp_path / "no" / "such", "merged-out-parent-missing")):
        with pytest.raises(MergedOutputError) as refused:
            export(central, out, study)
        assert refused.value.code == code


@pytest.mark.req("MERGE-OUT")
def test_an_empty_or_missing_central_database_says_so(tmp_path, study) -> None:  # type: ignore[no-untyped-def]
    open_central(tmp_path / "new.db").dispose()  # an ecrf central database with nothing merged yet
    with pytest.raises(MergedOutputError) as refused:
        export(tmp_path / "new.db", tmp_path / "set", study)
    assert refused.value.code == "merged-nothing-merged" and "ecrf merge" in refused.value.text("en")
    (tmp_path / "blank.db").touch()
    for target, code in ((tmp_path / "blank.db", "central-empty"), (tmp_path / "none.db", "central-missing")):
        with pytest.raises(CentralDatabaseError) as missing:
            export(target, tmp_path / "set", study)
        assert missing.value.code == code
    assert _nothing_left(tmp_path, "set") and not (tmp_path / "none.db").exists()


@pytest.mark.req("MERGE-OUT")
def test_another_definition_than_the_sites_is_refused(tmp_path, central) -> None:  # type: ignore[no-untyped-def]
    forms = tmp_path / "forms"
    shutil.copytree(FORMS, forms)
    with (forms / "study.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited after the sites exported\n")
    with pytest.raises(MergedOutputError) as refused:
        export(central, tmp_path / "set", load_study(forms))
    assert refused.value.code == "merged-definition-differs" and _nothing_left(tmp_path, "set")


@pytest.mark.req("MERGE-OUT")
def test_a_stored_odm_file_that_differs_or_is_damaged_is_refused_with_the_site(tmp_path, central, study,
                                                                               multi_site) -> None:  # type: ignore[no-untyped-def]
    odm = multi_site.site("CN02").bundles[-1]
    original = bundle_member(odm, layout.ODM)
    cases = ((original.replace(b"<StudyName>", b"<StudyName>Renamed ", 1), "merged-odm-definitions-differ"),
             (original[: len(original) // 2], "merged-odm-unreadable"))
    for n, (content, code) in enumerate(cases):
        copy = shutil.copy(central, tmp_path / f"copy{n}.db")
        engine = open_central(copy)
        with engine.begin() as conn:
            [cn02] = conn.execute(select(schema.sources.c.installation_id).where(
                schema.sources.c.site_code == "CN02")).scalars()
            files = schema.source_files
            conn.execute(update(files).where(files.c.path == layout.ODM, files.c.source == cn02)
                         .values(content=content))
        engine.dispose()
        with pytest.raises(MergedOutputError) as refused:
            export(copy, tmp_path / f"set{n}", study)
        assert refused.value.code == code and "CN02" in refused.value.text("en")
        assert _nothing_left(tmp_path, f"set{n}")


@pytest.mark.req("MERGE-OUT")
def test_a_failure_half_way_leaves_no_folder_behind(tmp_path, central, study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def full_disk(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "write_xpt_files", full_disk)
    with pytest.raises(MergedOutputError) as failed:
        export(central, tmp_path / "set", study)
    assert failed.value.code == "merged-out-write-failed" and "No space left on device" in failed.value.message
    assert _nothing_left(tmp_path, "set")


@pytest.mark.req("MERGE-OUT")
def test_a_merge_during_the_export_throws_the_mixed_set_away(tmp_path, central, study, multi_site,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = _copy(central, tmp_path)
    real = export_module.write_xpt_files

    def merge_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        fill_central(copy, [multi_site.site("CN03").bundles[-1]], study)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "write_xpt_files", merge_meanwhile)
    with pytest.raises(MergedOutputError) as refused:
        export(copy, tmp_path / "set", study)
    assert refused.value.code == "merged-changed-during-export" and _nothing_left(tmp_path, "set")


@pytest.mark.req("MERGE-OUT")
def test_the_command_writes_the_set_and_refuses_with_a_coded_message(tmp_path, central, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "set"
    assert main(["merged", "export", "--from", central, "--out", str(out), "--forms", str(FORMS)]) == 0
    printed = capsys.readouterr().out
    assert "2 site installation(s): CN01 (export 3), CN02 (export 3)" in printed and "sha256sum -c" in printed
    assert main(["merged", "export", "--from", central, "--out", str(out)]) == 1
    assert "error [merged-out-not-empty]" in capsys.readouterr().err
    assert main(["merged", "export", "--from", str(tmp_path / "none.db"), "--out", str(tmp_path / "x")]) == 1
    assert "error [central-missing]" in capsys.readouterr().err


@pytest.mark.req("MERGE-OUT")
def test_a_damaged_wide_row_in_the_central_database_is_refused_with_where_it_is(tmp_path, central,
                                                                               study) -> None:  # type: ignore[no-untyped-def]
    copy = _copy(central, tmp_path)
    engine = open_central(copy)
    rows = schema.form_rows
    with engine.begin() as conn:
        source, row_no = conn.execute(select(rows.c.source, rows.c.row_no).where(rows.c.form == "VS")
                                      .order_by(rows.c.source, rows.c.row_no)).first()  # type: ignore[misc]
        conn.execute(update(rows).where(rows.c.source == source, rows.c.form == "VS", rows.c.row_no == row_no)
                     .values(cells='["one cell"]'))
    engine.dispose()
    with pytest.raises(MergedOutputError) as refused:
        export(copy, tmp_path / "set", study)
    assert refused.value.code == "merged-form-row-damaged" and f"Row {row_no} of form VS" in refused.value.text("en")
    assert _nothing_left(tmp_path, "set")
