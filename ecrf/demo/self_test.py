"""`ecrf self-test`: prove that this installation works end to end, on a throwaway site.

A new PC (or a new build) is only trusted once the whole chain has run on it: SQLCipher opens an encrypted
database, the study definition loads, the services validate and audit a visit, Qt draws a form, the export
signs a bundle and the verifier accepts it with the site's own certificate. The self-test runs exactly that,
in a temporary folder (never the data folder), with the real key derivation (the fast test profile would
hide a slow or broken Argon2), and removes everything it made.

It lives in the demo layer because it reuses the demo's study-neutral data entry (`Writer`): any study
definition gets plausible values from its own item types, ranges and codelists. The step that draws a form
needs Qt, which only `ecrf.ui` may import: the caller hands it in as `render`.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ecrf.demo.plan import Plan, allocation_rows, plan_subjects
from ecrf.demo.site import checked_scenario
from ecrf.demo.writer import Writer
from ecrf.errors import EcrfError
from ecrf.export.verify.bundle import verify_bundle
from ecrf.services.auth import login
from ecrf.services.export import ExportResult, export_bundle
from ecrf.services.overview import CellState, subject_detail
from ecrf.services.session import SiteSession
from ecrf.services.signing import site_certificate
from ecrf.services.site_setup import create_site
from ecrf.services.subject_data import FormRef
from ecrf.services.subjects import import_allocation_list
from ecrf.services.users import add_user
from ecrf.study.loader import load_study
from ecrf.study.model import Study, Visit
from ecrf.study.status import FormStatus

Render = Callable[[SiteSession, FormRef], None]  # draws the form; raises (any exception) when it cannot
STEPS = ("study", "site", "users", "subject", "visit", "form rendered", "export", "verify", "cleanup")
SITE = ("SELFTEST", "ecrf self-test (temporary)")
FOLDER_PREFIX = "ecrf-self-test-"
DATA_DIR_VARIABLE = "ECRF_DATA_DIR"  # read by ecrf.paths.data_dir()


class StepFailed(Exception):
    """A step of the self-test did not work; `step` names it (one of STEPS), `reason` says why."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


@dataclass(frozen=True)
class SelfTestResult:
    seconds: float
    subject: str
    visit: str
    forms_saved: int
    bundle_sha256: str


@contextmanager
def step(name: str) -> Iterator[None]:
    """Run one step; any failure in it becomes StepFailed naming it. An EcrfError says what is wrong in the
    catalogue's words; anything else is a bug, shown by its type and message (the CLI logs the traceback)."""
    try:
        yield
    except StepFailed:
        raise
    except EcrfError as exc:
        raise StepFailed(name, exc.text("en")) from exc
    except Exception as exc:  # noqa: BLE001 - a self-test reports every fault by the step it happened in
        raise StepFailed(name, f"{type(exc).__name__}: {exc}") from exc


def run_self_test(forms_dir: Path, render: Render) -> SelfTestResult:
    """Run every step of STEPS in a new folder of the system's temporary folder and remove it. Raises
    StepFailed at the first step that fails; the folder is removed all the same."""
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    try:
        with _data_folder(folder / "data"):
            result = _run_steps(folder, forms_dir, render)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # the first failure is the one to report
        raise
    with step("cleanup"):
        shutil.rmtree(folder)
        if folder.exists():
            raise StepFailed("cleanup", f"the temporary folder {folder} could not be removed")
    return SelfTestResult(time.perf_counter() - started, *result)


@contextmanager
def _data_folder(folder: Path) -> Iterator[None]:
    """Point the app's data folder ($ECRF_DATA_DIR) into the temporary folder while the steps run: the
    export stages its clear text there, and nothing of the throwaway site may land in the user's folder."""
    before = os.environ.get(DATA_DIR_VARIABLE)
    os.environ[DATA_DIR_VARIABLE] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ[DATA_DIR_VARIABLE]
        else:
            os.environ[DATA_DIR_VARIABLE] = before


def _run_steps(folder: Path, forms_dir: Path, render: Render) -> tuple[str, str, int, str]:
    with step("study"):
        study = load_study(forms_dir)
        writer = Writer(study, checked_scenario(study), date.today())
    db_path, passwords = folder / "site.db", {"admin": _password(), "nurse": _password()}
    with step("site"):
        new = create_site(db_path, study, *SITE, "admin", "Self-test administrator", passwords["admin"])
    with step("users"):
        try:  # the administrator adds the nurse and the allocation list; then the nurse logs in
            add_user(new.session, "nurse", "Self-test nurse", "nurse", password=passwords["nurse"])
            rows = allocation_rows(study, 1)
            if rows:
                import_allocation_list(new.session, "rand_no,arm\n" + "".join(f"{n},{a}\n" for n, a in rows))
        finally:
            new.session.close()  # a site is open in one session at a time
        nurse = login(db_path, study, "nurse", passwords["nurse"])
    try:
        with step("subject"):
            plan = _enrolled_subject(nurse, study, writer, [arm for _, arm in rows])
        with step("visit"):
            visit, ref, saved = _enter_first_visit(nurse, study, writer, plan)
        with step("form rendered"):
            render(nurse, ref)
        with step("export"):
            bundle = _export(nurse, folder / "export")
        with step("verify"):
            _verify(nurse, bundle)
    finally:
        nurse.close()
    return plan.label, visit.code, saved, bundle.manifest_sha256


def _password() -> str:
    """A throwaway password: nobody types it, and the site is deleted at the end."""
    return "self-test-" + secrets.token_urlsafe(12)


def _enrolled_subject(session: SiteSession, study: Study, writer: Writer, arms: list[str]) -> Plan:
    """Screen one subject, enter the screening forms, and allocate them (when the study allocates)."""
    plan = plan_subjects(study, writer.scenario, 1, writer.today, arms)[0]
    writer.screen(session, [plan])
    if plan.allocated:
        writer.allocate(session, [plan])
        if not plan.allocated:  # the writer leaves the subject in screening and logs why
            raise StepFailed("subject", f"{plan.label} could not be allocated with the generated values (the "
                             "warning above says why): the study's eligibility rules or allocation list refused them")
    return plan


def _enter_first_visit(session: SiteSession, study: Study, writer: Writer, plan: Plan) -> tuple[Visit, FormRef, int]:
    """Save the forms of the subject's first visit after Day 0 (else the screening visit) and check that the
    schedule shows them as saved."""
    visit = _first_visit(study, plan)
    on = plan.visits.get(visit.code, plan.consent)
    refs: list[FormRef] = []
    for visit_form in visit.forms_for(plan.arm):
        if visit_form.form in (study.allocation_form, study.end_of_study_form):
            continue
        timepoint = visit_form.timepoints[0] if visit_form.timepoints else ""
        if not visit.before_day0:  # the screening forms were entered with the subject
            writer.enter(session, plan, visit, on, visit_form.form, timepoint)
        refs.append(FormRef(plan.label, visit.code, visit_form.form, timepoint))
    if not refs:
        raise StepFailed("visit", f"visit {visit.code} has no form to enter")
    cell = subject_detail(session, plan.label).row.cell(visit.code)
    saved = [f for f in cell.forms if f.status is not FormStatus.NOT_STARTED]
    if not saved or cell.state is CellState.NOT_STARTED:
        raise StepFailed("visit", f"no form of visit {visit.code} was saved for {plan.label} "
                         "(the warnings above say why)")
    return visit, refs[0], len(saved)


def _first_visit(study: Study, plan: Plan) -> Visit:
    after = [study.visit(code) for code in plan.visits]
    if after:
        return after[0]
    before = [v for v in study.visits if v.before_day0]
    if not before:
        raise StepFailed("visit", "the study has no visit the subject could have had yet")
    return before[0]


def _export(session: SiteSession, out_dir: Path) -> ExportResult:
    out_dir.mkdir()
    result = export_bundle(session, out_dir)
    if not result.path.is_file():
        raise StepFailed("export", f"the export reported {result.path}, which does not exist")
    return result


def _verify(session: SiteSession, bundle: ExportResult) -> None:
    """Verify the bundle as the sponsor would, trusting this site's own certificate (its fingerprint)."""
    fingerprint = site_certificate(session).fingerprint
    verdict = verify_bundle(bundle.path, fingerprint)
    if not verdict.ok:
        raise StepFailed("verify", verdict.problems[0] if verdict.problems else "the bundle was not verified")
    if not verdict.signer_trusted:
        raise StepFailed("verify", "the bundle's signer is not the site's own certificate")
