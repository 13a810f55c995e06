"""How query states, response codes and places read on screen (symbols too: a state is never shown by colour
alone)."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ecrf.services.queries import QueryPlace, QueryView
from ecrf.study.model import Study
from ecrf.study.status import QueryState, ResponseCode, Scope

STATE_LABELS = {QueryState.OPEN: QT_TRANSLATE_NOOP("QueryWords", "Open"),
                QueryState.ANSWERED: QT_TRANSLATE_NOOP("QueryWords", "Answered"),
                QueryState.CLOSED: QT_TRANSLATE_NOOP("QueryWords", "Closed"),
                QueryState.CANCELLED: QT_TRANSLATE_NOOP("QueryWords", "Cancelled")}
# The same symbols the matrix legend uses for queries: open asks, answered waits for the monitor, done.
STATE_SYMBOLS = {QueryState.OPEN: "?", QueryState.ANSWERED: "↩", QueryState.CLOSED: "✓", QueryState.CANCELLED: "✗"}
RESPONSE_LABELS = {ResponseCode.DATA_MISSING: QT_TRANSLATE_NOOP("QueryWords", "Data missing"),
                   ResponseCode.TYPING_ERROR: QT_TRANSLATE_NOOP("QueryWords", "Typing error"),
                   ResponseCode.WRONG_SOURCE: QT_TRANSLATE_NOOP("QueryWords", "Wrong source"),
                   ResponseCode.CONFIRMED_CORRECT: QT_TRANSLATE_NOOP("QueryWords", "Confirmed correct"),
                   ResponseCode.OTHER: QT_TRANSLATE_NOOP("QueryWords", "Other")}
_ECRF = QT_TRANSLATE_NOOP("QueryWords", "the eCRF")  # the author of the eCRF's own query steps
KIND_LABELS = {"raised": QT_TRANSLATE_NOOP("QueryWords", "raised"),
               "answered": QT_TRANSLATE_NOOP("QueryWords", "answered"),
               "closed": QT_TRANSLATE_NOOP("QueryWords", "closed"),
               "cancelled": QT_TRANSLATE_NOOP("QueryWords", "cancelled"),
               "reopened": QT_TRANSLATE_NOOP("QueryWords", "re-opened")}
_CORRECTED = QT_TRANSLATE_NOOP("QueryWords", "Value corrected: {0} → {1}. Reason: {2}")
_EMPTY = QT_TRANSLATE_NOOP("QueryWords", "(empty)")


def translated(text: object) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP (its stubs type the mark as object)."""
    return QCoreApplication.translate("QueryWords", str(text))


def state_text(state: QueryState) -> str:
    return f"{STATE_SYMBOLS[state]} {translated(STATE_LABELS[state])}"


def response_text(code: ResponseCode) -> str:
    return translated(RESPONSE_LABELS[code])


def kind_text(kind: str) -> str:
    return translated(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def author_text(author: str) -> str:
    return translated(_ECRF) if author == "ecrf" else author


def message_text(author: str, text: str, lang: str) -> str:
    """The eCRF writes its own messages in both languages, English on the first line and Chinese on the second:
    show the one of the interface. People's messages show as written."""
    lines = text.splitlines()
    if author == "ecrf" and len(lines) == 2:
        return lines[1] if lang == "zh" else lines[0]
    return text


def correction_text(old: str, new: str, reason: str) -> str:
    """The value an answer corrected, as the thread shows it under the answer ('' reads as empty)."""
    empty = translated(_EMPTY)
    return translated(_CORRECTED).format(old or empty, new or empty, reason)


def place_text(place: QueryPlace, study: Study, lang: str) -> str:
    """Where a query is, in words: visit · form · item label; a query on a visit names the visit too (D3 – Day 3),
    as nothing else there says what it is about."""
    if place.scope == Scope.VISIT:
        return visit_name(study, place.visit, lang) or place.subject
    parts = [place.visit] if place.visit else []
    if place.form:
        form = study.forms.get(place.form)
        parts.append(form.label.get(lang) if form else place.form)
        if place.timepoint:
            parts[-1] += f" ({place.timepoint})"
        if place.repeat:
            parts[-1] += f" #{place.repeat}"
    if place.scope == Scope.ITEM and place.form in study.forms and study.form(place.form).has_item(place.item):
        parts.append(study.form(place.form).item(place.item).label.get(lang))
    elif place.scope == Scope.ITEM:
        parts.append(place.item)
    return " · ".join(parts) if parts else place.subject


def visit_name(study: Study, code: str, lang: str) -> str:
    """D3 – Day 3 (infusion 2); the code alone for a visit the study no longer has."""
    try:
        return f"{code} – {study.visit(code).label.get(lang)}"
    except KeyError:
        return code


def summary(view: QueryView, study: Study, lang: str) -> str:
    return f"{view.number}  {state_text(view.state)}  ·  {place_text(view.place, study, lang)}"

