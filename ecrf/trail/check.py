"""The full check of a trail: chain, seals, personal keys and their certificates, the head, and (given what
is stored) the replay. The site runs it at every open, before every export and in `ecrf audit verify`;
`ecrf verify` runs it on what a bundle carries.

Problems are things that should not be; notes are facts a reader must know to weigh the result (events from
before seals, keys their owners registered themselves on a site upgraded in place).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec

from ecrf.trail.chain import GENESIS, Event, head_problem, link_problems
from ecrf.trail.keys import ISSUER_ROLES, KEY_ISSUED, RECORDED_ACTIONS, SEALS_STARTED, KeyBook
from ecrf.trail.replay import Replay, Stored, compare
from ecrf.trail.roles import role_may_write
from ecrf.trail.seals import RECOVERY_SIGNER, KeyCertificate, Seal

PROBLEMS_KEPT = 200  # a wholesale rewrite would otherwise list every event


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    where: str  # "the database", "the manifest": named in the problem


@dataclass
class TrailReport:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    sealed_from: int | None = None  # the first event that must be sealed; None: the site has not started
    before_seals: int = 0
    seals: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    keys: KeyBook = field(default_factory=KeyBook)
    certified: list[KeyCertificate] = field(default_factory=list)  # the certificates the site key really signed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str | None:
        """The first problem, in words (None when the trail is sound)."""
        return self.problems[0] if self.problems else None

    def add(self, problems: Iterable[str]) -> None:
        for problem in problems:
            if len(self.problems) < PROBLEMS_KEPT:
                self.problems.append(problem)
            elif len(self.problems) == PROBLEMS_KEPT:
                self.problems.append("… further problems are not listed")


@dataclass(frozen=True)
class Evidence:
    """What the check reads besides the events."""

    db_id: str
    seals: Sequence[Seal]
    certificates: Sequence[KeyCertificate]
    site_keys: Mapping[str, ec.EllipticCurvePublicKey]  # site certificate SHA-256 -> its public key
    head: Head | None = None
    stored: Stored | None = None  # given: the replay is compared with it
    sealed_from_creation: bool = False  # the site certificate says the site sealed its trail from event 1 on


def check_trail(events: Iterable[Event], evidence: Evidence) -> TrailReport:
    report = TrailReport()
    replay = Replay()
    chain_problems, seen = link_problems(_reading(events, report.keys, replay))
    report.add(chain_problems)
    report.events = len(seen)
    if seen:
        report.head_seq, report.head_hash = seen[-1].seq, seen[-1].hash
    if evidence.head is not None:
        report.add(filter(None, [head_problem(seen, evidence.head.seq, evidence.head.hash, evidence.head.where)]))
    by_seq = {event.seq: event for event in seen}
    _check_certificates(report, evidence, by_seq)
    _check_seals(report, evidence, seen, by_seq)
    report.add(report.keys.problems)
    report.add(replay.problems)
    if evidence.stored is not None:
        report.add(compare(replay.state, evidence.stored))
    return report


def _reading(events: Iterable[Event], keys: KeyBook, replay: Replay) -> Iterable[Event]:
    for event in events:
        keys.read(event)
        replay.apply(event)
        yield event


def _check_certificates(report: TrailReport, evidence: Evidence, by_seq: Mapping[int, Event]) -> None:
    for cert in evidence.certificates:
        site_key = evidence.site_keys.get(cert.site_certificate_sha256)
        if site_key is None or not cert.valid(evidence.db_id, site_key):
            report.add([f"the key certificate of {cert.username} is not signed by the site key"])
            continue
        report.certified.append(cert)
        event = by_seq.get(cert.head_seq)
        if cert.head_seq and (event is None or event.hash != cert.head_hash):
            report.add([f"the trail up to event {cert.head_seq}, which the site key certified with the key of "
                        f"{cert.username}, was changed or cut since"])
        if not any(p.username == cert.username and p.public_key == cert.public_key for p in report.keys.periods):
            report.add([f"the site key certified a key of {cert.username} that the trail never issued"])


def _check_seals(report: TrailReport, evidence: Evidence, seen: Sequence[Event], by_seq: Mapping[int, Event]) -> None:
    started = next((e.seq for e in seen if e.action == SEALS_STARTED), None)
    report.sealed_from = started
    report.before_seals = (started - 1) if started else len(seen)
    if evidence.sealed_from_creation and report.before_seals:
        report.add([f"the site certificate says this site sealed its trail from its first event, but events "
                    f"1–{report.before_seals} carry no seal: the trail was rewritten to look older than it is"])
    elif report.before_seals:
        report.notes.append(f"events 1–{report.before_seals} were written before this site sealed its trail: "
                            "their chain is checked, but nobody's signature vouches for them")
    seals = sorted(evidence.seals, key=lambda s: s.head_seq)
    report.seals = len(seals)
    if started is None:
        if seals:
            report.add(["the trail has seals but no event that starts them: its beginning was rewritten"])
        return
    _check_anchor(report, evidence, started)
    previous = 0
    for seal in seals:
        if seal.head_seq <= previous:
            report.add([f"two seals end at event {seal.head_seq}"])
            continue
        _check_seal(report, evidence, seal, [by_seq[s] for s in range(previous + 1, seal.head_seq + 1) if s in by_seq])
        previous = seal.head_seq
    last = seen[-1].seq if seen else 0
    if previous < last:
        first = max(previous + 1, started)
        report.add([f"events {first}–{last} are not sealed: they were added without any user's signature"])
    if previous > last:
        report.add([f"a seal covers event {previous}, past the end of the trail (event {last}): events were cut"])


def _check_anchor(report: TrailReport, evidence: Evidence, started: int) -> None:
    if any(cert.head_seq >= started for cert in report.certified):
        return
    if evidence.sealed_from_creation:  # the site key certified the first administrator's key at `ecrf init`
        report.add(["no key certified by the site key vouches for the trail, although the site was created with "
                    "one: the key certificates were removed"])
    else:
        report.notes.append(f"sealing started at event {started} but no key certified by the site key vouches for "
                            "it yet (it will at the next login of a user who may export or administer the site)")


def _check_seal(report: TrailReport, evidence: Evidence, seal: Seal, covered: list[Event]) -> None:
    head = covered[-1] if covered else None
    if head is None or head.seq != seal.head_seq or head.hash != seal.head_hash:
        report.add([f"the seal of {seal.signer} at event {seal.head_seq} does not match the trail: the events it "
                    "covers were changed after they were sealed"])
        return
    period = report.keys.key_for(seal.signer, seal.key_id, seal.head_seq)
    if period is None:
        report.add([f"the seal of {seal.signer} at event {seal.head_seq} is made with a key ({seal.key_id}) that the "
                    f"trail does not give {seal.signer} at that point"])
        return
    if not seal.valid(evidence.db_id, period.public_key):
        report.add([f"the seal at event {seal.head_seq} is not a valid signature of {seal.signer}"])
        return
    for event in covered:
        if report.sealed_from is not None and event.seq >= report.sealed_from:  # older events: nobody sealed them
            _check_sealed_event(report, evidence, seal, event)


def _check_sealed_event(report: TrailReport, evidence: Evidence, seal: Seal, event: Event) -> None:
    if event.action not in RECORDED_ACTIONS and event.username != seal.signer:
        report.add([f"event {event.seq} names {event.username} but was sealed by {seal.signer}: it was written in "
                    "another user's name"])
    role = report.keys.role_at(event.username, event.seq)
    if event.action not in RECORDED_ACTIONS and role is not None and event.role != role:
        report.add([f"event {event.seq} names the role {event.role} for {event.username}, whose role was {role}"])
    elif not role_may_write(role or event.role, event.action):
        report.add([f"event {event.seq} ({event.action}) was written by {event.username}, whose role "
                    f"({role or event.role}) may not do that"])
    if event.action == KEY_ISSUED and event.item:
        _check_issue(report, evidence, seal, event)


def _check_issue(report: TrailReport, evidence: Evidence, seal: Seal, event: Event) -> None:
    user, issuer = event.item or "", seal.signer
    period = next((p for p in report.keys.periods if p.issued_seq == event.seq), None)
    if period is not None:
        period.issued_by = issuer
    if issuer == RECOVERY_SIGNER or report.keys.role_at(issuer, event.seq) in ISSUER_ROLES:
        return
    certified = any(c.username == user and c.public_key == event.new_value for c in report.certified)
    if issuer == user and (certified or not report.keys.earlier_key(user, event.seq)):
        if not certified:
            report.notes.append(f"{user} registered their own first key at event {event.seq} (site upgraded in place)")
        return
    report.add([f"event {event.seq} issues a key to {user}, sealed by {issuer}, who may not issue keys"])
