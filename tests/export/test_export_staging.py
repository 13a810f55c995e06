"""Clear text is staged on the PC, never on the output medium, and what a killed export left is removed by
the next one (issue 12, robustness): only the zip ever appears in the output folder."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecrf.export.bundle.identity import SigningIdentity, new_identity
from ecrf.export.bundle.staging import LOCK_SUFFIX, Staging, default_staging_root
from ecrf.export.bundle.writer import write_bundle
from ecrf.export.records import AuditRecord, ExportContext, SiteFacts, SubjectRecord
from ecrf.paths import data_dir

pytestmark = [pytest.mark.req("EXPORT-STAGING"), pytest.mark.req("EXPORT-ATOMIC")]

CREATED = "2026-11-25T09:00:00.000000Z"
BUNDLE = "MSC-COVID19_DEMO_export0001_20261125.zip"
SITE = SiteFacts(study_oid="MSC-COVID19", site_code="DEMO", site_name="Demo hospital", db_id="inst-1",
                 definition_version="1.0.0", definition_fingerprint="ab" * 32, audit_head_seq=0,
                 audit_head_hash="00" * 32, as_of=CREATED)


class ClearTextPart:
    """Writes a file of clear text, and notes what the output folder holds while the export runs."""

    def __init__(self, out_dir: Path, fail: bool = False) -> None:
        self.out_dir, self.fail = out_dir, fail
        self.seen_in_output: list[str] = []
        self.staging: Path | None = None

    def begin(self, ctx: ExportContext) -> None:
        self.staging = ctx.staging
        (ctx.staging / "odm.xml").write_text("<ODM>subject S-01, temperature 41.9</ODM>\n")

    def add_subject(self, subject: SubjectRecord) -> None:
        return None

    def add_audit_event(self, event: AuditRecord) -> None:
        return None

    def finish(self) -> None:
        self.seen_in_output = sorted(p.name for p in self.out_dir.iterdir())
        if self.fail:
            raise RuntimeError("the part failed midway")

    def close(self) -> None:
        return None


@pytest.fixture(scope="module")
def signer() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital", datetime.now(UTC), installation_id="inst-1")


@pytest.fixture
def ctx(study, signer: SigningIdentity, tmp_path: Path) -> ExportContext:  # type: ignore[no-untyped-def]
    return ExportContext(study=study, site=SITE, users=(), identity=signer, staging=tmp_path / "ignored",
                         export_seq=1, created_at=CREATED, app_version="test", subject_count=0)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "pc" / "export-staging"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_default_staging_folder_is_under_the_apps_data_folder():
    assert default_staging_root() == data_dir() / "export-staging"


def test_clear_text_is_staged_on_the_pc_and_only_the_zip_reaches_the_output_folder(ctx: ExportContext, out: Path,
                                                                                   root: Path):
    part = ClearTextPart(out)
    pending = write_bundle(ctx, [], [], out, previous_sha256=None, parts=[part], staging_root=root)
    assert part.staging is not None and part.staging.parent == root  # where the clear text was written
    assert part.seen_in_output == []  # nothing on the medium while the parts wrote
    if os.name == "posix":
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert names(out) == [pending.partial.name] and pending.partial.name.startswith(f".{BUNDLE}.")
    assert not part.staging.exists()  # the clear text is gone as soon as it is zipped
    pending.publish()
    assert names(out) == [BUNDLE]
    assert names(root) == []  # the lock is released and removed with the export


def test_a_failed_part_leaves_nothing_on_the_medium_or_the_pc(ctx: ExportContext, out: Path, root: Path):
    with pytest.raises(RuntimeError):
        write_bundle(ctx, [], [], out, previous_sha256=None, parts=[ClearTextPart(out, fail=True)],
                     staging_root=root)
    assert names(out) == [] and names(root) == []


def test_what_a_killed_export_left_is_removed_by_the_next(ctx: ExportContext, out: Path, root: Path, tmp_path: Path):
    """A real kill: another process dies in the middle of its export (after the parts wrote their clear text)."""
    script = textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from types import SimpleNamespace
        from datetime import UTC, datetime
        from ecrf.export.bundle.identity import new_identity
        from ecrf.export.bundle.writer import write_bundle
        from ecrf.export.records import ExportContext, SiteFacts

        class Killed:
            def begin(self, ctx): (ctx.staging / "odm.xml").write_text("clear text")
            def add_subject(self, subject): pass
            def add_audit_event(self, event): pass
            def finish(self): os._exit(9)
            def close(self): pass

        root, out = Path(sys.argv[1]), Path(sys.argv[2])
        site = SiteFacts("MSC-COVID19", "DEMO", "Demo", "inst-1", "1.0.0", "ab" * 32, 0, "00" * 32, "x")
        study = SimpleNamespace(info=SimpleNamespace(version="1.0.0"), fingerprint="ab" * 32)
        ctx = ExportContext(study=study, site=site, users=(), identity=new_identity("MSC-COVID19", "DEMO", "Demo",
                            datetime.now(UTC)), staging=out, export_seq=1, created_at="2026-11-25T09:00:00.000000Z",
                            app_version="test", subject_count=0)
        write_bundle(ctx, [], [], out, previous_sha256=None, parts=[Killed()], staging_root=root)
    """)
    killed = subprocess.run([sys.executable, "-c", script, str(root), str(out)], cwd=Path(__file__).parents[2],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == 9, killed.stderr
    [left] = [p for p in root.iterdir() if p.is_dir()]
    assert (left / "odm.xml").read_text() == "clear text" and (root / f"{left.name}{LOCK_SUFFIX}").exists()
    assert names(out) == []  # the kill left its clear text on the PC, not on the medium
    (out / f".{BUNDLE}.{left.name}.partial").write_bytes(b"PK half a zip")  # as if killed while zipping
    old_style = out / f".ecrf-export-{'0' * 32}.partial"  # what versions before this one staged on the medium
    (old_style / "csv").mkdir(parents=True)
    (old_style / "csv" / "subjects.csv").write_text("S-01,DEMO\r\n")

    pending = write_bundle(ctx, [], [], out, previous_sha256=None, parts=[ClearTextPart(out)], staging_root=root)
    assert names(out) == [pending.partial.name]
    assert not left.exists() and not (root / f"{left.name}{LOCK_SUFFIX}").exists()
    pending.discard()
    assert names(out) == [] and names(root) == []


def test_what_a_running_export_holds_is_left_alone(ctx: ExportContext, out: Path, root: Path):
    running = Staging(root)  # another export, running at the same time (it holds its lock)
    (running.folder / "odm.xml").write_text("its clear text")
    its_zip = out / running.partial_name(BUNDLE)
    its_zip.write_bytes(b"PK being written")
    other_site = out / f".MSC-COVID19_CN02_export0001_20261125.zip.{'1' * 12}.partial"
    other_site.write_bytes(b"PK another site's unfinished zip")
    try:
        pending = write_bundle(ctx, [], [], out, previous_sha256=None, parts=[ClearTextPart(out)], staging_root=root)
        assert (running.folder / "odm.xml").exists() and its_zip.exists() and other_site.exists()
        pending.discard()
    finally:
        running.release()
    write_bundle(ctx, [], [], out, previous_sha256=None, parts=[ClearTextPart(out)], staging_root=root).discard()
    assert names(out) == [other_site.name]  # ours went once its export was over; another site's is not ours
    assert names(root) == []
