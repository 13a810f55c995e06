"""`report_data`: every number of the merge report, read from the central database (no rendering here).

Sites are read one at a time (their rows, then their counts), so a trial of many sites needs no more memory than
its largest site.
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import Connection

from ecrf.merge.report import bundles, completeness, enrolment, progress
from ecrf.merge.report.model import NOT_ALLOCATED, ReportData
from ecrf.merge.report.read import site_rows, sources
from ecrf.merge.report.safety import SafetyCounts
from ecrf.study.model import Study


def report_data(conn: Connection, study: Study, *, made_at: str | None = None) -> ReportData:
    """The report of what the central database holds now (`made_at`: the report's time, UTC ISO text)."""
    rows = sources(conn)
    codes = Counter(str(r["site_code"]) for r in rows)
    site_lines, queries, sdv, signatures, allocations = [], [], [], [], []
    expected: Counter[tuple[str, str]] = Counter()
    complete: Counter[tuple[str, str]] = Counter()
    safety = SafetyCounts(study)
    for source in rows:
        site = site_rows(conn, source)
        if codes[site.code] > 1:  # two installations call themselves the same site: tell them apart
            site.label = bundles.installation_name(source["site_code"], source["installation_id"])
        site_lines.append(bundles.site_line(site))
        allocations.append((site.code, enrolment.allocations(site)))
        completeness.count_site(study, site, expected, complete)
        queries.append(progress.query_ages(site))
        sdv.append(progress.sdv_line(study, site))
        signatures.append(progress.signature_line(site))
        safety.add_site(site)
    study_arms = [a.code for a in study.arms]
    arms = (*study_arms, *sorted(safety.arms_seen - set(study_arms) - {NOT_ALLOCATED}), NOT_ALLOCATED)
    return ReportData(
        study_oid=study.info.oid, study_title=study.info.short_title.en,
        made_at=made_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        arm_labels={a.code: a.label.en for a in study.arms},
        bundles=bundles.bundle_lines(conn), conflicts=bundles.conflict_lines(conn), sites=tuple(site_lines),
        enrolment=enrolment.enrolment(allocations, study_arms),
        completeness=completeness.completeness_lines(study, expected, complete),
        queries=tuple(queries), sdv=tuple(sdv), signatures=tuple(signatures),
        adverse_events=safety.adverse_events(arms), deaths=safety.deaths(arms))
