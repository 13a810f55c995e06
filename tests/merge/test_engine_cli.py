"""`ecrf merge`: bundles and folders, progress per bundle on stderr, the summary line, the exit codes, and the
refusals that stop it before anything is written (no trust source, an unreachable PostgreSQL, a missing path)."""
from __future__ import annotations

import shutil
import socket

import pytest

from ecrf.cli.main import main
from tests.merge.engine_helpers import central_tables, trust_file


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # free once closed: nothing listens there


@pytest.mark.req("MERGE-CLI")
def test_merge_shows_progress_and_a_summary_and_exits_1_when_a_bundle_is_refused(tmp_path, multi_site, capsys,
                                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN04")
    monkeypatch.chdir(tmp_path)
    trust = trust_file(tmp_path, [site])
    folder = tmp_path / "incoming"
    folder.mkdir()
    for bundle in site.bundles[:2]:
        shutil.copy(bundle, folder)
    assert main(["merge", str(folder), "--trust", trust]) == 0  # into merged.db, here
    out, err = capsys.readouterr()
    assert "[1/2] CN04 export 1: verifying… accepted (" in err and "[2/2] CN04 export 2: verifying… accepted" in err
    assert out.startswith("2 bundles: 2 accepted; central: 1 site, ")
    assert central_tables(str(tmp_path / "merged.db"))["items_long"]

    damaged = tmp_path / site.bundles[2].name
    data = bytearray(site.bundles[2].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    assert main(["merge", str(folder), str(damaged), "--trust", trust]) == 1
    out, err = capsys.readouterr()
    assert "CN04 export 1: already merged" in err and "CN04 export 3: verifying… refused\n    " in err
    assert out.startswith("3 bundles: 2 already merged, 1 refused; central: 1 site, ")


@pytest.mark.req("MERGE-CLI")
def test_without_a_trust_source_nothing_is_merged(tmp_path, multi_site, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ECRF_TRUST_REGISTRY", raising=False)
    assert main(["merge", str(multi_site.site("CN01").bundles[0])]) == 1
    err = capsys.readouterr().err
    assert "error [merge-no-trust]" in err and "ecrf trust add" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.req("MERGE-CLI")
def test_an_unreachable_postgresql_and_a_missing_bundle_stop_the_merge(tmp_path, multi_site, capsys,
                                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    site = multi_site.site("CN01")
    trust = trust_file(tmp_path, [site])
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/central"
    assert main(["merge", str(site.bundles[0]), "--into", url, "--trust", trust]) == 1
    err = capsys.readouterr().err
    assert "error [central-unreachable]" in err and "nothing was merged" in err
    assert main(["merge", str(tmp_path / "nowhere.zip"), "--trust", trust]) == 1
    assert "error [merge-path-missing]" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trust.pem"]


@pytest.mark.req("MERGE-CLI")
def test_merge_checks_signers_against_the_trust_registry(tmp_path, multi_site, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    registry = tmp_path / "sponsor" / "trust-registry.json"
    monkeypatch.setenv("ECRF_TRUST_REGISTRY", str(registry))  # the default place, as the sponsor sets it
    registered, unregistered = multi_site.site("CN04"), multi_site.site("CN05")
    assert main(["trust", "add", "--site", "CN04", str(registered.certificate)]) == 0
    capsys.readouterr()
    assert main(["merge", str(registered.bundles[0]), str(unregistered.bundles[0]), "--into", "central.db"]) == 1
    out, err = capsys.readouterr()
    assert "CN04 export 1: verifying… accepted" in err
    assert "CN05 export 1: verifying… refused\n    manifest.sig: " in err and "trust registry" in err
    assert out.startswith("2 bundles: 1 accepted, 1 refused; central: 1 site, ")
