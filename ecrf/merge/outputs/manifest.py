"""`MANIFEST.txt` and `manifest.json`: what the merged data set holds and what it was made from.

MANIFEST.txt is in the format of `sha256sum` (hash, two spaces, path), so `sha256sum -c MANIFEST.txt` in the
folder checks every file. manifest.json says the same with each file's size, and names every source: site,
installation, export number and the SHA-256 of the bundle and manifest it came from, so a statistician can
trace the set back to the signed bundles. Neither names the central database or the time of the export:
the same merged data gives the same manifest from SQLite or PostgreSQL.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ecrf.merge.outputs.sources import Source, newest_as_of

MANIFEST_TXT = "MANIFEST.txt"
MANIFEST_JSON = "manifest.json"
FORMAT = "ecrf merged data set 1"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifests(folder: Path, paths: list[str], sources: list[Source], study_oid: str,
                    definition_fingerprint: str, app_version: str) -> dict[str, str]:
    """Both manifests for the files at `paths` (relative to `folder`); path -> SHA-256."""
    hashes = {path: file_sha256(folder / path) for path in sorted(paths)}
    (folder / MANIFEST_TXT).write_bytes("".join(f"{sha}  {path}\n" for path, sha in hashes.items()).encode())
    document = {
        "format": FORMAT,
        "made_by": f"ecrf {app_version}",
        "study": {"oid": study_oid, "definition_fingerprint": definition_fingerprint},
        "data_as_of": newest_as_of(sources),
        "sources": [{"site_code": s.site_code, "site_name": s.site_name, "installation_id": s.installation_id,
                     "export_sequence": s.export_sequence, "data_as_of": s.data_as_of, "site_state": s.site_state,
                     "bundle_sha256": s.bundle_sha256, "manifest_sha256": s.manifest_sha256} for s in sources],
        "files": [{"path": path, "sha256": sha, "size": (folder / path).stat().st_size}
                  for path, sha in hashes.items()],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (folder / MANIFEST_JSON).write_bytes(text.encode("utf-8"))
    return hashes
