"""Monitoring progress per site: open queries by age, source data verification, signatures outstanding."""
from __future__ import annotations

from ecrf.export.records import SdvRecord
from ecrf.export.sdv_progress import form_sdv, key_of
from ecrf.merge.report.model import QUERY_AGE_BUCKETS, QueryAgeLine, SdvLine, SignatureLine
from ecrf.merge.report.read import SiteRows, parse_day
from ecrf.study.model import Study
from ecrf.study.status import ENDED_STATUSES, QueryState, Scope, SignatureState

UNRESOLVED = (QueryState.OPEN, QueryState.ANSWERED)  # answered: the monitor has yet to close it


def query_ages(site: SiteRows) -> QueryAgeLine:
    """Open and answered queries, by days from raised to the site's data-as-of date (not to today: the site's
    data stop there, and a query answered since would look older than it is)."""
    as_of = parse_day(site.as_of_date)
    raised = [parse_day(q["raised_at"]) for q in site.queries if q["state"] in UNRESOLVED]
    ages = [max(0, (as_of - day).days) for day in raised if day is not None and as_of is not None]
    buckets = tuple(sum(1 for age in ages if low <= age and (high is None or age <= high))
                    for _, low, high in QUERY_AGE_BUCKETS)
    return QueryAgeLine(site_code=site.code, buckets=buckets,
                        open=sum(1 for q in site.queries if q["state"] == QueryState.OPEN),
                        answered=sum(1 for q in site.queries if q["state"] == QueryState.ANSWERED),
                        oldest_days=max(ages, default=None))


def sdv_line(study: Study, site: SiteRows) -> SdvLine:
    """The plan's required items on complete forms (only finished entry is verified), counted by the same code
    that prints the site's casebooks and monitoring visit reports."""
    required = verified = changed = outstanding = 0
    for subject, forms in site.forms.items():
        marks: dict[tuple[str, str, str, int], list[SdvRecord]] = {}
        for mark in site.sdv.get(subject, []):
            marks.setdefault(key_of(mark), []).append(mark)
        for record in forms:
            if record.deleted:
                continue
            progress = form_sdv(study, record, marks.get(key_of(record), []))
            changed += len(progress.changed)
            outstanding += progress.outstanding
            if progress.complete:
                required += len(progress.required)
                verified += progress.done
    return SdvLine(site_code=site.code, required=required, verified=verified, changed=changed,
                   forms_outstanding=outstanding)


def signature_line(site: SiteRows) -> SignatureLine:
    """A casebook is due for signing once its subject's participation ended; signed means a valid signature of
    the whole casebook (scope subject) made on or after the end date (a Day 28 signature does not sign the end of
    study). A broken signature: data changed after signing (in any scope)."""
    ended = {str(s["subject"]): str(s["ended_on"] or "") for s in site.subjects if s["status"] in ENDED_STATUSES}
    signed_on: dict[str, str] = {}
    for row in site.signatures:
        if row["scope"] == Scope.SUBJECT and row["state"] == SignatureState.VALID:
            subject, day = str(row["subject"]), str(row["signed_at"])[:10]
            signed_on[subject] = max(day, signed_on.get(subject, ""))
    awaiting = tuple(s for s, end in ended.items() if signed_on.get(s, "") < end or s not in signed_on)
    broken = sorted({str(s["subject"]) for s in site.signatures if s["state"] == SignatureState.BROKEN})
    return SignatureLine(site_code=site.code, ended=len(ended), signed=len(ended) - len(awaiting),
                         awaiting=awaiting, broken=tuple(broken))
