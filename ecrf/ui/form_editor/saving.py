"""The save of the form editor, step by step: refuse what the checks refuse (inline, nothing lost), say
which answers no longer apply, ask to confirm warnings, ask a reason for changing completed data, then
call the one service that writes. Every refusal or fault keeps everything typed on screen."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ecrf.services import forms, logs
from ecrf.services.errors import NeedsConfirmation, ReasonRequired, ValuesRefused
from ecrf.services.forms import SaveResult
from ecrf.study.findings import Finding
from ecrf.study.validate import FormCheck
from ecrf.ui import dialogs
from ecrf.ui.form_editor.live import Entry, live_check, to_clear, to_send
from ecrf.ui.reason_dialog import Reasons

if TYPE_CHECKING:
    from ecrf.ui.form_editor.page import FormEditorPage

MAX_ROUNDS = 4  # a warning or reason asked by the service itself, then the save again


translate = QCoreApplication.translate


def listed(findings: list[Finding], lang: str) -> str:
    return "\n".join(f"• {f.text(lang)}" for f in findings)


def save(page: FormEditorPage, complete: bool) -> SaveResult | None:
    """Run one save from the page; the result, or None when refused, cancelled or failed. A fault in any step
    (the checks on screen included) is shown, never lost in a Qt slot where Save would seem to do nothing."""
    try:
        return _save(page, complete)
    except Exception as exc:  # noqa: BLE001 - shown (a bug also goes to the crash log); the typing stays
        _not_saved(page, exc)
        return None


def _not_saved(page: FormEditorPage, exc: BaseException) -> None:
    page.banner.say(translate("FormSave", "Not saved. Everything you typed is still on screen."), "hard",
                    holds=page.unchanged())
    dialogs.show_error(page, translate("FormSave", "Not saved"), dialogs.error_text(exc))


def _save(page: FormEditorPage, complete: bool) -> SaveResult | None:
    state = page.state
    if state is None or not state.editable:
        return None
    page.banner.clear_message()  # every message is about an earlier attempt: none may show over this one's dialogs
    entries = page.entries()
    check = live_check(state, page.initial, entries, page.confirmed_now)
    page.reveal(required=complete)
    page.last_check = check
    page.show_check(check)
    if not _acceptable(page, check, complete):
        return None
    clearing = to_clear(entries, check.hidden)
    if clearing and not dialogs.ask_yes_no(page, translate("FormSave", "Answers that no longer apply"), translate(
            "FormSave", "These answers do not apply any more (their condition is not met) and will be cleared "
            "when you save:\n{0}\n\nSave and clear them?").format(page.item_labels(clearing))):
        return None
    values = to_send(page.initial, entries, check.hidden)
    if not values and not (complete and not state.completed):
        page.banner.say(translate("FormSave", "There are no changes to save."), "ok",
                        holds=lambda: not page.has_unsaved())
        return None
    confirm = set(page.confirmed_now)
    if check.unconfirmed:
        if not _confirm(page, check.unconfirmed):
            return None
        confirm |= {f.key for f in check.unconfirmed}
    reason = None
    if state.completed and values:
        reason = _reason(page, list(values))
        if reason is None:
            return None
    return _send(page, values, confirm, reason, complete)


def _acceptable(page: FormEditorPage, check: FormCheck, complete: bool) -> bool:
    """Refusals found on screen already: shown inline, with a line at the top; nothing is sent."""
    if check.hard:
        page.banner.say(_refused_text(len(check.hard)), "hard", holds=lambda: page.count_findings("hard") > 0,
                        again=lambda: _refused_text(page.count_findings("hard")))
        page.focus_item(check.hard[0].item)
        return False
    if complete and check.incomplete:
        page.banner.say(_incomplete_text(len(check.incomplete)), "incomplete",
                        holds=lambda: page.count_findings("incomplete") > 0,
                        again=lambda: _incomplete_text(page.count_findings("incomplete")))
        page.focus_item(check.incomplete[0].item)
        return False
    return True


def _refused_text(count: int) -> str:
    return translate("FormSave", "Not saved: {0} answer(s) cannot be accepted. Correct the fields marked red; "
                     "nothing you typed was lost.").format(count)


def _incomplete_text(count: int) -> str:
    return translate("FormSave", "Not marked complete: {0} required answer(s) are empty. Fill them in, or mark "
                     "them not done / unknown in the item menu (Ctrl+M), or save without completing.").format(count)


def _send(page: FormEditorPage, values: dict[str, Entry], confirm: set[str], reason: str | None,
          complete: bool) -> SaveResult | None:
    """The service call; a warning or a reason the service asks for itself is asked, then sent again."""
    for _ in range(MAX_ROUNDS):
        try:
            result = _write(page, values, confirm, reason, complete)
        except NeedsConfirmation as asked:
            if not _confirm(page, asked.findings):
                return None
            confirm |= {f.key for f in asked.findings}
            continue
        except ReasonRequired:
            reason = _reason(page, list(values))
            if reason is None:
                return None
            continue
        except ValuesRefused as refused:
            page.show_refused(refused.findings)
            page.banner.say(translate("FormSave", "Not saved:\n{0}").format(listed(refused.findings, page.lang)),
                            "hard", holds=page.unchanged())
            return None
        except Exception as exc:  # noqa: BLE001 - a fault (database gone, disk full) keeps the typing
            _not_saved(page, exc)
            return None
        page.confirmed_now = confirm
        return result
    return None


def _write(page: FormEditorPage, values: dict[str, Entry], confirm: set[str], reason: str | None,
           complete: bool) -> SaveResult:
    state = page.state
    assert state is not None
    if state.is_new_log_entry:
        repeat, result = logs.add_log_entry(page.session, state.subject_label, state.ref.form, values,
                                            confirm=confirm, complete=complete)
        page.ref = replace(state.ref, subject=state.subject_label, repeat=repeat)  # later saves: this entry
        return result
    return forms.save_form(page.session, state.ref, values, confirm=confirm, reason=reason, complete=complete)


def _confirm(page: FormEditorPage, findings: list[Finding]) -> bool:
    return dialogs.ask_yes_no(page, translate("FormSave", "Confirm warnings"), translate(
        "FormSave", "Please check these values against the source document:\n{0}\n\nAre they correct? Yes "
        "saves them with your confirmation recorded; No goes back to the form.").format(listed(findings, page.lang)))


def _reason(page: FormEditorPage, codes: list[str]) -> str | None:
    reason = dialogs.ask_reason(page, translate("FormSave", "Reason for change"), translate(
        "FormSave", "This form was saved as complete. Give the reason for changing:\n{0}").format(
        page.item_labels(codes)), kind=Reasons.DATA_CHANGE)
    if reason is None or not reason.strip():
        page.banner.say(translate("FormSave", "Not saved: changing completed data needs a reason."), "incomplete",
                        holds=page.unchanged())
        return None
    return reason.strip()
