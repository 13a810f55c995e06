"""The sponsor's queries at the site: the sponsor certificate registered once, then signed query bundles imported.

Both facts the import needs are kept in the audit trail itself, like the users' personal keys: the registered
certificate is the newest `sponsor_certificate` event (its PEM), the last bundle imported the newest
`query_bundle_imported` event (its sequence, with the manifest's SHA-256 as item). So no table can be edited to
let an old or foreign bundle in without breaking the hash chain.

An import is all or nothing, in one sealed transaction by the site administrator: each sponsor query is raised once
(check_key "sponsor:SQ-0001", origin sponsor, authored "<handle>@sponsor" in the role sponsor); a sponsor's close
closes the site's query once the site has answered it. Every step goes through `query_steps`, so it is a message
of the thread and an audit event like any other and the trail's replay knows it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.export.bundle.identity import certificate_fingerprint
from ecrf.merge.errors import QueryBundleError
from ecrf.merge.query_bundle.manifest import BundledQuery, QueryBundle
from ecrf.merge.query_bundle.signed import SignedQueryBundle, read_query_bundle
from ecrf.merge.query_bundle.sponsor_key import sponsor_name
from ecrf.services import locks
from ecrf.services.errors import InvalidInput, NotFound
from ecrf.services.permissions import Do
from ecrf.services.queries import check_place
from ecrf.services.query_steps import QueryPlace, new_query, number_of, step
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import find_subject
from ecrf.store.audit import Change
from ecrf.store.models import AuditEvent, QueryRow, Site, Subject
from ecrf.study.status import SPONSOR_ROLE, QueryOrigin, QueryState, Scope, sponsor_author, sponsor_check_key

SPONSOR_CERTIFICATE = "sponsor_certificate"
QUERY_BUNDLE_IMPORTED = "query_bundle_imported"
MAX_CERTIFICATE_BYTES = 64 * 1024


@dataclass(frozen=True)
class SponsorCertificate:
    sponsor: str
    fingerprint: str
    pem: str
    registered_at: str
    registered_by: str


@dataclass(frozen=True)
class ImportResult:
    sequence: int
    sponsor: str
    already_imported: bool = False  # the same bundle again: nothing changed
    raised: tuple[str, ...] = ()  # the site's numbers of the new queries (Q-0007)
    closed: tuple[str, ...] = ()
    not_yet_answered: tuple[str, ...] = ()  # closed by the sponsor, still open here: left open


# -- the sponsor certificate --------------------------------------------------------------------------------------

def read_sponsor_certificate(data: bytes) -> tuple[str, str]:
    """(sponsor name, SHA-256 fingerprint) of a sponsor certificate file, to compare by phone before registering;
    refused when it is no certificate or not a sponsor's."""
    certificate = _sponsor_certificate(data)
    return sponsor_name(certificate) or "", certificate_fingerprint(certificate)


def register_sponsor_certificate(session: SiteSession, data: bytes) -> SponsorCertificate:
    """Register (or replace) the certificate whose key signs the sponsor's query bundles (PEM or DER)."""
    session.require(Do.MANAGE_SITE)  # who may comes before what the file holds
    certificate = _sponsor_certificate(data)
    name = sponsor_name(certificate)
    pem = certificate.public_bytes(Encoding.PEM).decode("ascii")
    with session.write(Do.MANAGE_SITE) as tx:
        before = _registered(tx.db)
        tx.audit(Change(SPONSOR_CERTIFICATE, item=certificate_fingerprint(certificate), new_value=pem,
                        old_value=before.pem if before else None,
                        reason=f"sponsor {name} registered: query bundles signed with this certificate are imported"))
    registered = sponsor_certificate(session)
    assert registered is not None
    return registered


def sponsor_certificate(session: SiteSession) -> SponsorCertificate | None:
    """The registered sponsor certificate (every logged-in user may see it: no clinical data)."""
    with session.read(Do.CHANGE_OWN_PASSWORD) as db:
        return _registered(db)


def _registered(db: Session) -> SponsorCertificate | None:
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == SPONSOR_CERTIFICATE)
                      .order_by(AuditEvent.seq.desc()).limit(1))
    if event is None or not event.new_value:
        return None
    certificate = x509.load_pem_x509_certificate(event.new_value.encode("ascii"))
    return SponsorCertificate(sponsor_name(certificate) or "?", event.item or "", event.new_value, event.at_utc,
                              event.username)


def _sponsor_certificate(data: bytes) -> x509.Certificate:
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise QueryBundleError("sponsor-certificate-invalid")
    try:
        certificate = (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                       else x509.load_der_x509_certificate(data))
    except ValueError:
        raise QueryBundleError("sponsor-certificate-invalid") from None
    if sponsor_name(certificate) is None:
        raise QueryBundleError("sponsor-certificate-not-sponsor", subject=certificate.subject.rfc4514_string())
    return certificate


# -- importing a query bundle ----------------------------------------------------------------------------------------

def import_query_bundle(session: SiteSession, path: Path) -> ImportResult:
    """Check the bundle (signature, sponsor, study, site, installation, sequence) and apply it in one transaction."""
    session.require(Do.MANAGE_SITE)  # who may comes before what the file holds
    signed = read_query_bundle(path)
    bundle = signed.bundle
    with session.write(Do.MANAGE_SITE) as tx:
        _check_addressed_here(tx, signed)
        last = _last_import(tx.db)
        if last is not None and bundle.sequence <= last[0]:
            if bundle.sequence == last[0] and signed.manifest_sha256 == last[1]:
                return ImportResult(bundle.sequence, bundle.sponsor, already_imported=True)
            raise QueryBundleError("query-bundle-rolled-back", sequence=bundle.sequence, last=last[0])
        locks.refuse_if_site_locked(tx)
        result = _apply(tx, session, bundle)
        tx.audit(Change(QUERY_BUNDLE_IMPORTED, item=signed.manifest_sha256, new_value=str(bundle.sequence),
                        reason=f"query bundle {bundle.sequence} of sponsor {bundle.sponsor} from {path.name}: "
                               f"{len(result.raised)} raised, {len(result.closed)} closed"))
        return result


def _check_addressed_here(tx: Tx, signed: SignedQueryBundle) -> None:
    registered = _registered(tx.db)
    if registered is None:
        raise QueryBundleError("sponsor-certificate-not-registered")
    if signed.signer_fingerprint != registered.fingerprint:
        raise QueryBundleError("query-bundle-wrong-signer", found=signed.signer_fingerprint,
                               registered=registered.fingerprint)
    site: Site = tx.site
    bundle = signed.bundle
    if bundle.study_oid != site.study_oid:
        raise QueryBundleError("query-bundle-other-study", found=bundle.study_oid, here=site.study_oid)
    if bundle.site_code != site.site_code:
        raise QueryBundleError("query-bundle-other-site", found=bundle.site_code, here=site.site_code)
    if bundle.installation_id != site.db_id:
        raise QueryBundleError("query-bundle-other-installation", found=bundle.installation_id, here=site.db_id)


def _last_import(db: Session) -> tuple[int, str] | None:
    """(sequence, manifest SHA-256) of the last bundle imported."""
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == QUERY_BUNDLE_IMPORTED)
                      .order_by(AuditEvent.seq.desc()).limit(1))
    return (int(event.new_value or 0), event.item or "") if event is not None else None


def _apply(tx: Tx, session: SiteSession, bundle: QueryBundle) -> ImportResult:
    raised, closed, waiting = [], [], []
    for wanted in bundle.queries:
        query = tx.db.scalar(select(QueryRow).where(QueryRow.origin == QueryOrigin.SPONSOR,
                                                    QueryRow.check_key == sponsor_check_key(wanted.query_id)))
        if query is None:
            query = _raise(tx, session, wanted)
            raised.append(number_of(query.id))
        else:
            _check_same_place(query, wanted)
        close = wanted.closed_by_sponsor
        if close is None or query.state in (QueryState.CLOSED, QueryState.CANCELLED):
            continue
        if query.state != QueryState.ANSWERED:
            waiting.append(number_of(query.id))
            continue
        step(tx, query, _subject_of(tx, query), "closed", QueryState.CLOSED, _text(close.text, wanted.query_id),
             by=(sponsor_author(close.author), SPONSOR_ROLE))
        closed.append(number_of(query.id))
    return ImportResult(bundle.sequence, bundle.sponsor, raised=tuple(raised), closed=tuple(closed),
                        not_yet_answered=tuple(waiting))


def _raise(tx: Tx, session: SiteSession, wanted: BundledQuery) -> QueryRow:
    try:
        subject = find_subject(tx.db, wanted.subject)
    except NotFound:
        raise QueryBundleError("query-bundle-subject-unknown", query_id=wanted.query_id,
                               subject=wanted.subject) from None
    place = _place(wanted)
    try:
        check_place(session.study, subject, place)
    except InvalidInput as exc:  # the place refused refuses the whole bundle, with its reason
        raise QueryBundleError("query-bundle-place-unknown", query_id=wanted.query_id, reason=exc) from None
    first = wanted.steps[0]
    return new_query(tx, subject, place, _text(first.text, wanted.query_id), origin=QueryOrigin.SPONSOR,
                     check_key=sponsor_check_key(wanted.query_id), by=(sponsor_author(first.author), SPONSOR_ROLE))


def _place(wanted: BundledQuery) -> QueryPlace:
    try:
        scope = Scope(wanted.scope)
    except ValueError:
        raise QueryBundleError("query-bundle-malformed", detail=f"query {wanted.query_id} has the scope "
                                                                f"{wanted.scope!r}") from None
    return QueryPlace(wanted.subject, scope, wanted.visit, wanted.form, wanted.timepoint, wanted.repeat, wanted.item)


def _check_same_place(query: QueryRow, wanted: BundledQuery) -> None:
    here = (query.scope, query.visit_code, query.form_code, query.timepoint, query.repeat, query.item_code)
    if here != (wanted.scope, wanted.visit, wanted.form, wanted.timepoint, wanted.repeat, wanted.item):
        raise QueryBundleError("query-bundle-place-changed", query_id=wanted.query_id, number=number_of(query.id))


def _subject_of(tx: Tx, query: QueryRow) -> Subject:
    subject = tx.db.get(Subject, query.subject_pk)
    assert subject is not None
    return subject


def _text(text: str, query_id: str) -> str:
    """The sponsor's words, with its central id first so that site users can name the query to the sponsor."""
    return f"[{query_id}] {text.strip()}"
