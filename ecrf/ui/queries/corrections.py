"""Which value an answer corrected (92 → 88, with the reason), for the thread a monitor reads.

The query services return the thread's messages but not the value a correction stored, so it is read back from
the item's history (`audit_trail.item_history`, as the item's History dialog reads it); nothing new is stored.
The trail keeps no transaction id, so the link is made from how `answer_query` writes: the answer's audit event,
then in the same transaction the correction's value event, the very next event of the trail, by the same user,
at the same moment, with the change's reason (a correction always has one). A later save of the item is not
taken for a correction: other events come between, or it is seconds later, or (in progress) has no reason."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ecrf.services import audit_trail
from ecrf.services.audit_trail import EventView
from ecrf.services.queries import QueryThread
from ecrf.services.session import SiteSession
from ecrf.study.model import Item, Study
from ecrf.study.status import Scope
from ecrf.ui.queries.words import correction_text

log = logging.getLogger("ecrf.ui")
SAME_STEP = timedelta(seconds=5)  # far more than one transaction takes, far less than a person needs to save


def corrections(session: SiteSession, thread: QueryThread) -> dict[int, EventView]:
    """Index of an "answered" message in `thread.messages` -> the value event of the correction sent with it."""
    place = thread.query.place
    ref = place.form_ref
    if place.scope != Scope.ITEM or ref is None:
        return {}
    try:
        events = audit_trail.item_history(session, ref, place.item)
    except Exception as exc:  # noqa: BLE001 - the thread still shows, only without the corrected values
        log.warning("corrections of %s not read: %s", thread.query.number, exc)
        return {}
    prefix = f"{thread.query.number}: "  # the answer's audit event: "Q-0007: [TYPING_ERROR] text"
    answers = [e for e in events if e.action == "query_answered" and (e.reason or "").startswith(prefix)]
    answered = [n for n, m in enumerate(thread.messages) if m.kind == "answered"]
    by_seq = {e.seq: e for e in events}
    found: dict[int, EventView] = {}
    for index, answer in zip(answered, answers, strict=False):  # both oldest first: one event per answer
        value = by_seq.get(answer.seq + 1)
        if value is not None and _same_step(answer, value):
            found[index] = value
    return found


def _same_step(answer: EventView, value: EventView) -> bool:
    if value.action != "value" or not (value.reason or "").strip():
        return False
    if (value.username, value.role) != (answer.username, answer.role):
        return False
    return abs(_moment(value.at_utc) - _moment(answer.at_utc)) <= SAME_STEP


def _moment(at_utc: str) -> datetime:
    return datetime.fromisoformat(at_utc)  # Python 3.11 reads the trailing Z


def correction_line(event: EventView, study: Study, lang: str) -> str:
    """The correction in words (Value corrected: 92 → 88. Reason: …), choices by their labels."""
    item = _item(study, event)
    return correction_text(value_words(item, event.old_value, event.old_missing, lang),
                           value_words(item, event.new_value, event.new_missing, lang), event.reason or "")


def value_words(item: Item | None, text: str | None, missing: str | None, lang: str) -> str:
    """A stored value as the user knows it: a missing code as such, a choice (or several) by its label."""
    if missing:
        return missing
    if not text or item is None or item.codelist is None:
        return text or ""
    labels = {str(ci.code): ci.label.get(lang) for ci in item.codelist.items}
    return "; ".join(labels.get(code, code) for code in text.split(";"))


def _item(study: Study, event: EventView) -> Item | None:
    form = study.forms.get(event.form or "")
    return form.item(event.item) if form is not None and event.item and form.has_item(event.item) else None
