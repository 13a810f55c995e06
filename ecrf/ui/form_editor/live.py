"""The editor's bookkeeping without widgets: what was loaded, what changed, what a save would send, and
the live validation (skip logic, derived values, findings) of what is on screen."""
from __future__ import annotations

from collections.abc import Collection, Mapping

from ecrf.services.editing import FormState
from ecrf.study.validate import FormCheck, validate_form
from ecrf.study.values import Missing
from ecrf.ui.form_editor.fields import entry_text

Entry = str | Missing


def loaded_entries(state: FormState) -> dict[str, Entry]:
    """The stored values as entries: what the fields show right after opening the form."""
    entries: dict[str, Entry] = {}
    for item in state.form.items:
        if item.is_calculated:
            continue
        value = state.values.get(item.code)
        entries[item.code] = value if isinstance(value, Missing) else entry_text(value)
    return entries


def changed(initial: Mapping[str, Entry], entries: Mapping[str, Entry]) -> list[str]:
    return [code for code, entry in entries.items() if entry != initial.get(code, "")]


def carried(state: FormState, changed_items: Collection[str]) -> set[str]:
    """Stored confirmations stay valid while none of the items they were given on has changed
    (the rule of services.forms, so the editor asks exactly what the save would ask)."""
    void = set().union(*(state.confirmed.get(code, frozenset()) for code in changed_items)) if changed_items else set()
    return set(state.all_confirmed()) - void


def live_check(state: FormState, initial: Mapping[str, Entry], entries: Mapping[str, Entry],
               confirmed_now: Collection[str] = ()) -> FormCheck:
    """Validate as the save would: hidden items count as cleared (their typed text stays in the
    field and comes back when the item shows again, but is not sent).

    Checked once when no hidden item holds text (every form as it opens, and most edits): what is sent is
    then what is on screen; otherwise a second time, on what is sent."""
    confirmed = carried(state, changed(initial, entries)) | set(confirmed_now)
    check = validate_form(state.form, entries, subject=state.subject, where=state.where, confirmed=confirmed)
    outgoing = {code: ("" if code in check.hidden else entry) for code, entry in entries.items()}
    if outgoing == entries:
        return check
    confirmed = carried(state, changed(initial, outgoing)) | set(confirmed_now)
    return validate_form(state.form, outgoing, subject=state.subject, where=state.where, confirmed=confirmed)


def to_send(initial: Mapping[str, Entry], entries: Mapping[str, Entry], hidden: Collection[str]) -> dict[str, Entry]:
    """Only what changed; a hidden item with a value is sent empty (cleared, with its audit event)."""
    outgoing = {code: ("" if code in hidden else entry) for code, entry in entries.items()}
    return {code: entry for code, entry in outgoing.items() if entry != initial.get(code, "")}


def to_clear(entries: Mapping[str, Entry], hidden: Collection[str]) -> list[str]:
    """Hidden items that hold something (typed now or stored before): the save will clear them."""
    return [code for code in hidden if filled(entries.get(code, ""))]


def filled(entry: Entry | None) -> bool:
    return isinstance(entry, Missing) or bool((entry or "").strip())
