"""`merge_bundles`: every given bundle verified, checked against the study and the installation's merged history,
and either loaded (replacing that installation's data), recorded as covered, or refused with its reason.

Why the result does not depend on the order the bundles were given in: they are merged sorted by installation,
export number, audit head and SHA-256, and each decision depends only on what was merged before (continuity),
so a set of bundles always merges to the same tables; across runs an older bundle arriving after a newer one is
covered. Why it is never half-merged: each accepted bundle is one transaction (its rows, the installation's
record and the log row), so a merge killed or failing half-way leaves every installation at one whole bundle,
and the same merge run again recognises what was merged and finishes the rest.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ecrf.export.verify.bundle import Verdict, verify_bundle
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import BundleFacts, bundle_facts
from ecrf.merge.central.db import central_name, open_central
from ecrf.merge.conflicts import clashes, conflict_reason, record_conflicts, subject_keys
from ecrf.merge.continuity import decide
from ecrf.merge.errors import CentralDatabaseError, MergeError
from ecrf.merge.intake import Candidate, Claim, candidate, discard, hash_all, private_copy, work_folder
from ecrf.merge.load import replace_source
from ecrf.merge.outcome import log
from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED, REFUSED, BundleOutcome, MergeRun
from ecrf.merge.tamper import tamper_evidence
from ecrf.merge.verify_ahead import Taken, TrustSource, VerifyAhead
from ecrf.study.model import Study

COLUMNS_UNKNOWN = "bundle-columns-unknown"  # bundle_read's refusal of a file laid out by another ecrf version


@dataclass(frozen=True)
class Step:
    """One progress report: bundle `index` of `total` starts (outcome None) or is done."""

    index: int
    total: int
    label: str
    outcome: BundleOutcome | None = None


Progress = Callable[[Step], None]


def merge_bundles(target: str | Path, paths: Iterable[Path], trust: TrustSource | None, study: Study,
                  progress: Progress | None = None) -> MergeRun:
    """Merge the bundles at `paths` into the central database `target` (a path or URL); what happened to each."""
    if trust is None:  # a merge never accepts a signer it did not compare with a registered certificate
        raise MergeError("merge-no-trust")
    engine = open_central(target)
    try:
        return _merge(engine, list(paths), trust, study, progress or (lambda _step: None))
    except SQLAlchemyError as exc:
        raise CentralDatabaseError("merge-database-failed", database=central_name(target),
                                   reason=_first_line(exc)) from None
    finally:
        engine.dispose()


def _merge(engine: Engine, paths: list[Path], trust: TrustSource, study: Study, progress: Progress) -> MergeRun:
    with engine.connect() as conn:
        known = log.merged_files(conn)
    hashed = list(zip(paths, hash_all(paths), strict=True))
    # Only files not merged before are opened: re-merging an unchanged set costs one hash per file.
    ordered = sorted((_known_candidate(p, s, known[s]) if s in known else candidate(p, s) for p, s in hashed),
                     key=Candidate.order)
    run = MergeRun()
    with work_folder() as folder:
        # Verified ahead, in worker processes where there are several bundles and CPUs (ecrf.merge.verify_ahead);
        # the copier and verifier are this module's, so that a test replacing them here is heard.
        ahead = VerifyAhead([(i, c.path, c.sha256) for i, c in enumerate(ordered, start=1) if c.sha256 not in known],
                            trust, folder, private_copy, verify_bundle)
        try:
            _merge_in_order(engine, ordered, known, ahead, study, progress, run)
        finally:
            ahead.close()
    with engine.connect() as conn:
        run.totals = log.central_totals(conn)
    return run


def _merge_in_order(engine: Engine, ordered: list[Candidate], known: dict[str, log.Known], ahead: VerifyAhead,
                    study: Study, progress: Progress, run: MergeRun) -> None:
    for index, item in enumerate(ordered, start=1):
        step = Step(index, len(ordered), _label(item))
        if item.sha256 in known:
            outcome = _already_merged(item, known[item.sha256])
        else:
            progress(step)
            outcome = _merge_one(engine, item, ahead.take(index, item.path), ahead, study)
            if outcome.outcome != REFUSED:
                known[item.sha256] = log.Known(outcome.outcome, outcome.site_code, outcome.installation_id,
                                               outcome.sequence)
        run.bundles.append(outcome)
        progress(Step(step.index, step.total, step.label, outcome))


def _merge_one(engine: Engine, item: Candidate, taken: Taken, ahead: VerifyAhead, study: Study) -> BundleOutcome:
    copy, sha256 = taken.copy, taken.sha256
    if taken.unreadable is not None:  # gone or unreadable since it was hashed: this bundle only, the others go on
        discard(copy)
        return _refuse(engine, item, None, MergeError("merge-file-unreadable", file=item.path.name,
                                                      reason=taken.unreadable.strerror or taken.unreadable).message)
    try:
        if sha256 != item.sha256:
            return _refuse(engine, item, None, MergeError("merge-file-changed", file=item.path.name,
                                                          before=item.sha256, after=sha256).message)
        verdict = ahead.verdict(taken)
        if not verdict.ok:
            return _refuse_unverified(engine, item, copy, verdict)
        if not verdict.signer_trusted:  # the verdict already says so; the merge keeps its promise on its own
            return _refuse(engine, item, None, MergeError("merge-signer-not-trusted", file=item.path.name).message)
        with SafeZip(copy) as bundle:
            facts = bundle_facts(bundle, sha256)
            problem = _study_problem(facts, study, item.path.name)
            if problem is not None:
                return _refuse(engine, item, facts, problem.message)
            return _decide_and_load(engine, bundle, item, facts, study)
    finally:
        discard(copy)


def _decide_and_load(engine: Engine, bundle: SafeZip, item: Candidate, facts: BundleFacts,
                     study: Study) -> BundleOutcome:
    try:
        with engine.begin() as conn:
            log.take_merge_lock(conn)
            return _decide_in(conn, bundle, item, facts, study)
    except CentralDatabaseError as exc:
        if exc.code != COLUMNS_UNKNOWN:
            raise
        # A verified bundle whose files another ecrf version laid out: refused once its load rolled back.
        return _refuse(engine, item, facts, f"{item.path.name}: {exc.message}")


def _decide_in(conn: Connection, bundle: SafeZip, item: Candidate, facts: BundleFacts,
               study: Study) -> BundleOutcome:
    """Continuity, conflicts and the load, in the one transaction that also logs the outcome."""
    decision = decide(conn, bundle, facts, item.path.name)
    outcome = _outcome(item, facts, decision.outcome, decision.reason, decision.alarm)
    if decision.outcome == ACCEPTED:
        found = clashes(conn, subject_keys(bundle), facts.installation_id)
        if found:
            record_conflicts(conn, found, facts)
            outcome = _outcome(item, facts, REFUSED, conflict_reason(found, facts, item.path.name))
        else:
            outcome = _outcome(item, facts, ACCEPTED, values=_load(conn, bundle, facts, study))
    elif decision.alarm:
        log.set_alarm(conn, facts.installation_id, decision.reason)
    log.record_bundle(conn, outcome, facts, item.claim)
    return outcome


def _load(conn: Connection, bundle: SafeZip, facts: BundleFacts, study: Study) -> int:
    log.supersede(conn, facts.installation_id)
    return replace_source(conn, bundle, facts, study)


def _study_problem(facts: BundleFacts, study: Study, file_name: str) -> MergeError | None:
    if facts.study_oid != study.info.oid:
        return MergeError("merge-another-study", file=file_name, found=facts.study_oid, expected=study.info.oid)
    if facts.definition_fingerprint != study.fingerprint:
        return MergeError("merge-other-definition", file=file_name, found=facts.definition_fingerprint[:16] + "…",
                          expected=study.fingerprint[:16] + "…")
    return None


def _refuse_unverified(engine: Engine, item: Candidate, copy: Path, verdict: Verdict) -> BundleOutcome:
    """Refused with the verifier's reason; with an alarm when the bundle was altered or forged (ecrf.merge.tamper),
    not when it is only damaged or its signer not registered."""
    evidence = tamper_evidence(copy, verdict)
    if evidence is not None:
        return _refuse(engine, item, None, evidence, alarm=True)
    return _refuse(engine, item, None, verdict.problems[0] if verdict.problems else
                   f"{item.path.name}: not every check of the verification ran")


def _refuse(engine: Engine, item: Candidate, facts: BundleFacts | None, reason: str,
            alarm: bool = False) -> BundleOutcome:
    outcome = _outcome(item, facts, REFUSED, reason, alarm)
    with engine.begin() as conn:
        log.take_merge_lock(conn)
        log.record_bundle(conn, outcome, facts, item.claim)
    return outcome


def _outcome(item: Candidate, facts: BundleFacts | None, outcome: str, reason: str = "", alarm: bool = False,
             values: int = 0) -> BundleOutcome:
    """The outcome, naming the bundle by its verified facts, else by what it claimed."""
    source: BundleFacts | Claim | None = facts or item.claim
    return BundleOutcome(item.path, item.sha256, outcome, reason, alarm,
                         site_code=source.site_code if source else None,
                         installation_id=source.installation_id if source else None,
                         sequence=source.sequence if source else None, values=values)


def _known_candidate(path: Path, sha256: str, known: log.Known) -> Candidate:
    claim = None
    if known.installation_id is not None and known.site_code is not None and known.sequence is not None:
        claim = Claim(known.installation_id, known.site_code, known.sequence, 0)
    return Candidate(path, sha256, claim)


def _already_merged(item: Candidate, known: log.Known) -> BundleOutcome:
    return _outcome(item, None, ALREADY_MERGED, f"the same file was {known.outcome} before")


def _label(item: Candidate) -> str:
    return f"{item.claim.site_code} export {item.claim.sequence}" if item.claim else item.path.name


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
