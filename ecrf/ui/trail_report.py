"""The audit trail check in words, for the banner of the main window and the administration's audit tab:
one summary line, the whole report (problems, notes, events, seals, who acknowledged), and the
administrator's "Record a reason…" step, which both places offer.

The problems and notes themselves are written by the trail check (ecrf.trail), in English: they name events
and users, and the sponsor reads the same sentences in the bundle."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from ecrf.services import integrity
from ecrf.services.integrity import Acknowledgement, Integrity
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs
from ecrf.ui.background import Operation
from ecrf.ui.clock import shown_date, shown_time

translate = QCoreApplication.translate

FIRST_PROBLEM_CHARS = 240  # the banner stays two or three lines at 1366 px; Details… shows it whole


def shortened(text: str, limit: int = FIRST_PROBLEM_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def acknowledged_text(ack: Acknowledgement) -> str:
    return translate("TrailReport", "Audit trail finding acknowledged by {0} on {1}: {2} — bundles carry "
                                    "it").format(ack.by, shown_date(ack.at_utc), shortened(ack.reason))


def banner_text(found: Integrity) -> str:
    """The banner's sentence: red while no administrator has recorded a reason, amber after."""
    if found.acknowledged is not None:
        return acknowledged_text(found.acknowledged)
    problems = found.report.problems
    return translate("TrailReport", "The audit trail check found {0} problem(s): {1}. Tell the site administrator "
                                    "and the sponsor; keep this PC as it is.").format(
        len(problems), shortened(problems[0].rstrip(".")))


def summary_text(found: Integrity) -> str:
    """One line for the audit tab."""
    report = found.report
    if report.ok:
        return translate("TrailReport", "The audit trail is intact: {0} events, {1} seals, every stored value "
                                        "follows from the trail (last hash {2}…).").format(
            report.events, report.seals, report.head_hash[:16])
    if found.acknowledged is not None:
        return acknowledged_text(found.acknowledged)
    return translate("TrailReport", "The audit trail is BROKEN: {0}. Do not enter more data; tell the sponsor and "
                                    "keep this PC as it is.").format(shortened(report.problems[0].rstrip(".")))


def report_lines(found: Integrity) -> list[str]:
    """The whole report: verdict, facts, acknowledgement, every problem and every note."""
    report = found.report
    verdict = (translate("TrailReport", "Result: intact") if report.ok else
               translate("TrailReport", "Result: {0} problem(s)").format(len(report.problems)))
    lines = [verdict,
             translate("TrailReport", "Events: {0} ({1} from before seals); seals: {2}").format(
                 report.events, report.before_seals, report.seals),
             translate("TrailReport", "Last event: {0}, hash {1}").format(report.head_seq, report.head_hash)]
    if not report.ok:
        lines.append(_acknowledgement_line(found.acknowledged))
        lines += ["", translate("TrailReport", "Problems:")]
        lines += [f"{n}. {problem}" for n, problem in enumerate(report.problems, 1)]
    if report.notes:
        lines += ["", translate("TrailReport", "Notes:")] + [f"– {note}" for note in report.notes]
    return lines


def _acknowledgement_line(ack: Acknowledgement | None) -> str:
    if ack is None:
        return translate("TrailReport", "Not acknowledged: export is refused until a site administrator records a "
                                        "reason.")
    return translate("TrailReport", "Acknowledged by {0} at {1}: {2}").format(
        ack.by, shown_time(ack.at_utc, seconds=True), ack.reason)


def may_acknowledge(session: SiteSession, found: Integrity | None) -> bool:
    """The administrator's button shows while a finding blocks export."""
    return found is not None and found.blocking and may(session.actor.role, Do.MANAGE_USERS)


class ReportDialog(QDialog):
    """Details…: the whole report, read-only and selectable (to copy into a message to the sponsor)."""

    def __init__(self, found: Integrity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trail_report")
        self.setWindowTitle(translate("TrailReport", "Audit trail check"))
        self.resize(760, 460)
        self.text = QPlainTextEdit("\n".join(report_lines(found)))
        self.text.setObjectName("report_text")
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


def acknowledge(parent: QWidget, session: SiteSession, on_done: Callable[[Integrity], None],
                on_failure: Callable[[BaseException], None] | None = None) -> Operation | None:
    """Ask the administrator why the site goes on, record it, and check again (on a worker: the check reads
    the whole trail); `on_done` gets the new result. None when the administrator cancelled."""
    reason = dialogs.ask_reason(parent, translate("TrailReport", "Record a reason"), translate(
        "TrailReport", "The audit trail check found problems. Record why the site goes on: who was told, what was "
                       "found, what was done. Export is possible again and every bundle carries the finding "
                       "with this reason."))
    if reason is None:
        return None

    def work(_progress: object) -> Integrity:
        integrity.acknowledge(session, reason)
        return integrity.check(session)

    return dialogs.run_with_progress(parent, translate("TrailReport", "Recording the reason…"), work, on_done,
                                     on_failure=on_failure)
