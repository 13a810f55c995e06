"""The query bundle's manifest: which study, site and installation it is for, its place in the sponsor's
sequence for that installation, and every sponsor query of that installation with the sponsor's steps.

A bundle carries all of the installation's sponsor queries, not only what changed since the last one: a site
that missed a bundle catches up with the next, and importing any bundle twice changes nothing. The sequence
grows with every bundle written for an installation; a site refuses one older than the last it imported.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from ecrf.merge.errors import QueryBundleError
from ecrf.study.parsing import has_broken_character

FORMAT, FORMAT_VERSION = "ecrf-query-bundle", 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
STEP_KINDS = ("raised", "closed")


@dataclass(frozen=True)
class BundledStep:
    kind: str  # raised or closed
    author: str  # the data manager's handle
    at_utc: str  # when the sponsor took the step (the site records its own time of import)
    text: str


@dataclass(frozen=True)
class BundledQuery:
    query_id: str  # SQ-0001
    subject: str
    scope: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    item: str
    steps: tuple[BundledStep, ...]

    @property
    def closed_by_sponsor(self) -> BundledStep | None:
        return next((s for s in reversed(self.steps) if s.kind == "closed"), None)


@dataclass(frozen=True)
class QueryBundle:
    study_oid: str
    definition_fingerprint: str
    site_code: str
    installation_id: str
    sequence: int
    created_at: str
    sponsor: str  # the name the sponsor's certificate carries
    queries: tuple[BundledQuery, ...]


def manifest_bytes(bundle: QueryBundle) -> bytes:
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "study": {"oid": bundle.study_oid, "definition_fingerprint": bundle.definition_fingerprint},
        "site": {"code": bundle.site_code, "installation_id": bundle.installation_id},
        "bundle": {"sequence": bundle.sequence, "created_at": bundle.created_at, "sponsor": bundle.sponsor},
        "queries": [{**{k: v for k, v in asdict(q).items() if k != "steps"},
                     "steps": [asdict(s) for s in q.steps]} for q in bundle.queries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def parse_manifest(raw: bytes) -> QueryBundle:
    """The manifest's content; QueryBundleError naming the first thing that is not as this ecrf writes it."""
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise _Malformed("it is not an ecrf query bundle manifest")
        if document.get("format_version") != FORMAT_VERSION:
            raise _Malformed(f"format version {document.get('format_version')!r} is not {FORMAT_VERSION}")
        study, site, head = (_object(document, key) for key in ("study", "site", "bundle"))
        queries = document.get("queries")
        if not isinstance(queries, list):
            raise _Malformed("'queries' is not a list")
        return QueryBundle(
            study_oid=_text(study, "oid"), definition_fingerprint=_text(study, "definition_fingerprint"),
            site_code=_text(site, "code"), installation_id=_text(site, "installation_id"),
            sequence=_whole(head, "sequence", 1), created_at=_text(head, "created_at"), sponsor=_text(head, "sponsor"),
            queries=tuple(_query(q) for q in queries))
    except _Malformed as exc:
        raise QueryBundleError("query-bundle-malformed", detail=str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QueryBundleError("query-bundle-malformed", detail=f"the manifest is not JSON ({exc})") from None


class _Malformed(Exception):
    pass


def _query(value: Any) -> BundledQuery:
    if not isinstance(value, dict):
        raise _Malformed("a query is not an object")
    steps = value.get("steps")
    if not isinstance(steps, list) or not steps:
        raise _Malformed(f"query {value.get('query_id')!r} has no steps")
    query = BundledQuery(
        query_id=_text(value, "query_id"), subject=_text(value, "subject"), scope=_text(value, "scope"),
        visit=_text(value, "visit", empty=True), form=_text(value, "form", empty=True),
        timepoint=_text(value, "timepoint", empty=True), repeat=_whole(value, "repeat", 0),
        item=_text(value, "item", empty=True), steps=tuple(_step(s) for s in steps))
    if query.steps[0].kind != "raised" or any(s.kind == "raised" for s in query.steps[1:]):
        raise _Malformed(f"query {query.query_id} does not start with its one 'raised' step")
    return query


def _step(value: Any) -> BundledStep:
    if not isinstance(value, dict):
        raise _Malformed("a step is not an object")
    step = BundledStep(_text(value, "kind"), _text(value, "author"), _text(value, "at_utc"), _text(value, "text"))
    if step.kind not in STEP_KINDS:
        raise _Malformed(f"a step of kind {step.kind!r} (only {', '.join(STEP_KINDS)})")
    return step


def _object(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    if not isinstance(value, dict):
        raise _Malformed(f"'{key}' is missing or not an object")
    return value


def _text(document: dict[str, Any], key: str, *, empty: bool = False) -> str:
    value = document.get(key)
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _Malformed(f"'{key}' is missing or not a text")
    if has_broken_character(value):  # JSON can spell lone surrogates, which no database text can hold
        raise _Malformed(f"'{key}' holds characters that are not text")
    return value


def _whole(document: dict[str, Any], key: str, minimum: int) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _Malformed(f"'{key}' is not a whole number of at least {minimum}")
    return value
