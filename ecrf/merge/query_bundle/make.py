"""`ecrf query bundle`: the signed query bundle of one site installation, recorded with its sequence.

The file is written inside the central transaction that records it: if the record cannot be committed the file
is removed, so a sequence number is never handed out twice and never skipped.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select

from ecrf.export.bundle.identity import SigningIdentity
from ecrf.merge.central import schema
from ecrf.merge.central.sponsor_schema import sponsor_queries, sponsor_query_bundles, sponsor_query_steps
from ecrf.merge.errors import QueryBundleError
from ecrf.merge.query_bundle.manifest import BundledQuery, BundledStep, QueryBundle
from ecrf.merge.query_bundle.signed import write_query_bundle
from ecrf.merge.query_bundle.sponsor_key import sponsor_name


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    site_code: str
    installation_id: str
    sequence: int
    queries: int
    closes: int


def bundle_for_site(engine: Engine, site_code: str, installation_id: str | None, identity: SigningIdentity,
                    out_dir: Path, now: str) -> WrittenBundle:
    """Write the next query bundle of the site's installation (every sponsor query of it) into `out_dir`."""
    path: Path | None = None
    try:
        with engine.begin() as conn:
            source = _source(conn, site_code, installation_id)
            queries = _queries(conn, source.installation_id)
            if not queries:
                raise QueryBundleError("query-bundle-nothing", site=site_code)
            b = sponsor_query_bundles.c
            sequence = (conn.execute(select(func.max(b.sequence)).where(b.installation_id == source.installation_id))
                        .scalar() or 0) + 1
            bundle = QueryBundle(study_oid=source.study_oid, definition_fingerprint=source.definition_fingerprint,
                                 site_code=site_code, installation_id=source.installation_id, sequence=sequence,
                                 created_at=now, sponsor=sponsor_name(identity.certificate) or "", queries=queries)
            path, manifest_sha256 = write_query_bundle(bundle, identity, out_dir)
            conn.execute(insert(sponsor_query_bundles).values(
                installation_id=source.installation_id, sequence=sequence, file_name=path.name,
                manifest_sha256=manifest_sha256, created_at=now, queries=len(queries)))
    except BaseException:
        if path is not None:  # written, but its sequence not recorded: it must not reach a site
            path.unlink(missing_ok=True)
        raise
    closes = sum(1 for q in queries if q.closed_by_sponsor)
    return WrittenBundle(path, site_code, source.installation_id, sequence, len(queries), closes)


def _source(conn: Connection, site_code: str, installation_id: str | None) -> Row[Any]:
    s = schema.sources.c
    stmt = select(schema.sources).where(s.site_code == site_code)
    if installation_id:
        stmt = stmt.where(s.installation_id == installation_id)
    found = conn.execute(stmt).all()
    if not found:
        raise QueryBundleError("sponsor-site-unknown", site=site_code if not installation_id else
                               f"{site_code} (installation {installation_id})")
    if len(found) > 1:
        raise QueryBundleError("query-bundle-installation-ambiguous", site=site_code,
                               installations=", ".join(sorted(r.installation_id for r in found)))
    return found[0]


def _queries(conn: Connection, installation_id: str) -> tuple[BundledQuery, ...]:
    q, st = sponsor_queries.c, sponsor_query_steps.c
    rows = conn.execute(select(sponsor_queries).where(q.installation_id == installation_id).order_by(q.number)).all()
    steps: dict[str, list[BundledStep]] = defaultdict(list)
    for step in conn.execute(select(sponsor_query_steps).join(sponsor_queries, st.query_id == q.query_id)
                             .where(q.installation_id == installation_id).order_by(st.query_id, st.step_no)):
        steps[step.query_id].append(BundledStep(step.kind, step.author, step.at_utc, step.text))
    return tuple(BundledQuery(r.query_id, r.subject, r.scope, r.visit, r.form, r.timepoint, r.repeat, r.item,
                              tuple(steps[r.query_id])) for r in rows)
