"""Where the sponsor's outputs go: a read-only folder is refused in words about that folder (never the hidden folder
the data set is first written into, never replaced by a writable one), and the merge report's files get the
permissions any new file gets (0666 less the umask), as the merged data set's files do."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from ecrf.cli.main import main
from ecrf.merge.central.db import open_central
from ecrf.merge.outputs import export as export_module
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.merge.report import write_report
from tests.conftest import FORMS
from tests.merge import conftest as merge_fixtures
from tests.merge.merged_set import export, fill_central

multi_site = merge_fixtures.multi_site  # the five real demo sites' bundles, made once per run (tests/merge)


@pytest.fixture(scope="module")
def central(tmp_path_factory, multi_site, study) -> str:  # type: ignore[no-untyped-def]
    """One site merged; read-only for the tests."""
    root = tmp_path_factory.mktemp("merged-folders")
    return fill_central(root / "central.db", [multi_site.site("CN01").bundles[-1]], study)


def _read_only(monkeypatch, *paths: Path) -> None:  # type: ignore[no-untyped-def]
    """As for a user without write permission: tests may run as root, for whom chmod 555 changes nothing."""
    real, refused = os.access, {str(p) for p in paths}

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if mode & os.W_OK and str(path) in refused:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.req("MERGE-OUT")
def test_an_empty_read_only_folder_is_refused_and_kept(tmp_path, central, study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ro3"
    out.mkdir()
    out.chmod(0o555)
    try:
        _read_only(monkeypatch, out)
        with pytest.raises(MergedOutputError) as refused:
            export(central, out, study)
        assert refused.value.code == "merged-out-read-only"
        assert f"The folder {out} cannot be written" in refused.value.message
        assert out.is_dir() and _mode(out) == 0o555 and list(out.iterdir()) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["ro3"]  # no hidden folder either
    finally:
        out.chmod(0o755)


@pytest.mark.req("MERGE-OUT")
def test_a_folder_inside_a_read_only_folder_is_refused_naming_that_folder(tmp_path, central, study,
                                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parent = tmp_path / "ro2"
    parent.mkdir()
    _read_only(monkeypatch, parent)
    with pytest.raises(MergedOutputError) as refused:
        export(central, parent / "ds", study)
    assert refused.value.code == "merged-out-read-only" and f"The folder {parent} cannot be written" in \
        refused.value.message
    assert list(parent.iterdir()) == []


@pytest.mark.req("MERGE-OUT")
@pytest.mark.parametrize(("code", "expected"), [(errno.EACCES, "merged-out-read-only"),
                                                (errno.EROFS, "merged-out-read-only"),
                                                (errno.ENOSPC, "merged-out-write-failed")])
def test_a_write_that_fails_is_said_of_the_named_folder_not_the_hidden_one(tmp_path, central, study, monkeypatch,
                                                                          code, expected) -> None:  # type: ignore[no-untyped-def]
    """What the check before cannot see (a medium that turns read-only, a full disk): the error names the folder
    the user gave, and the hidden folder is gone."""
    def fails(_conn, _study, _sources, folder: Path, *_args):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code), str(folder / "csv" / "subjects.csv"))

    monkeypatch.setattr(export_module, "_write_all", fails)
    with pytest.raises(MergedOutputError) as refused:
        export(central, tmp_path / "ds", study)
    assert refused.value.code == expected and ".partial" not in refused.value.message
    assert str(tmp_path) in refused.value.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.req("MERGE-OUT")
def test_the_command_refuses_a_read_only_folder_with_a_coded_message(tmp_path, central, capsys,
                                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ro3"
    out.mkdir()
    _read_only(monkeypatch, out)
    assert main(["merged", "export", "--from", central, "--out", str(out), "--forms", str(FORMS)]) == 1
    err = capsys.readouterr().err
    assert "error [merged-out-read-only]" in err and "Give a folder you can write to" in err


@pytest.fixture
def umask_027():  # type: ignore[no-untyped-def]
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


@pytest.mark.req("MERGE-REPORT")
@pytest.mark.usefixtures("umask_027")
def test_the_report_files_get_the_permissions_of_any_new_file(tmp_path, study) -> None:  # type: ignore[no-untyped-def]
    engine = open_central(tmp_path / "central.db")
    try:
        html_path, pdf_path = write_report(engine, study, tmp_path / "report")
    finally:
        engine.dispose()
    plain = tmp_path / "report" / "plain.txt"
    plain.write_text("as open() makes it")
    assert _mode(html_path) == _mode(pdf_path) == _mode(plain) == 0o640
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["merge-report.html", "merge-report.pdf",
                                                                   "plain.txt"]


@pytest.mark.req("MERGE-REPORT")
def test_the_report_and_the_data_set_beside_it_have_the_same_permissions(tmp_path, central, study) -> None:  # type: ignore[no-untyped-def]
    result = export(central, tmp_path / "set", study)
    engine = open_central(central, create=False)
    try:
        html_path, pdf_path = write_report(engine, study, tmp_path / "report")
    finally:
        engine.dispose()
    data_set = {_mode(result.folder / name) for name in result.files}
    assert data_set == {_mode(html_path)} == {_mode(pdf_path)}
