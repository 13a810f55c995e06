"""UI tests: real widgets offscreen (pytest-qt), each on its own copy of a demo site made once per run.

Message boxes never block: `ecrf.ui.dialogs` is replaced by a recorder (`dialogs` fixture) whose
answers a test queues up front."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

import pytest

from ecrf.study import clock as app_clock


@dataclass
class DialogRecorder:
    errors: list[tuple[str, str]] = field(default_factory=list)
    infos: list[tuple[str, str]] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    yes_no: deque[bool] = field(default_factory=deque)  # answers to ask_yes_no; empty: yes
    reasons: deque[str | None] = field(default_factory=deque)  # answers to ask_reason; empty: fail the test
    reason_kinds: list[object] = field(default_factory=list)  # the list of usual reasons each prompt offered
    save_discard: deque[str] = field(default_factory=deque)  # 'save' | 'discard' | 'cancel'; empty: cancel
    texts: deque[str | None] = field(default_factory=deque)

    def last_error(self) -> str:
        assert self.errors, "no error message was shown"
        return self.errors[-1][1]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> DialogRecorder:  # type: ignore[no-untyped-def]
    from ecrf.ui import dialogs as module

    recorder = DialogRecorder()

    def ask_reason(parent, title, prompt, kind=None):  # type: ignore[no-untyped-def]
        recorder.questions.append(prompt)
        recorder.reason_kinds.append(kind)
        assert recorder.reasons, f"unexpected reason prompt: {prompt}"
        return recorder.reasons.popleft()

    def ask_yes_no(parent, title, text):  # type: ignore[no-untyped-def]
        recorder.questions.append(text)
        return recorder.yes_no.popleft() if recorder.yes_no else True

    def ask_save_discard(parent, title, text):  # type: ignore[no-untyped-def]
        recorder.questions.append(text)
        return recorder.save_discard.popleft() if recorder.save_discard else "cancel"

    def ask_text(parent, title, label, text=""):  # type: ignore[no-untyped-def]
        recorder.questions.append(label)
        return recorder.texts.popleft() if recorder.texts else None

    monkeypatch.setattr(module, "show_error", lambda p, t, x: recorder.errors.append((t, x)))
    monkeypatch.setattr(module, "show_info", lambda p, t, x: recorder.infos.append((t, x)))
    monkeypatch.setattr(module, "ask_reason", ask_reason)
    monkeypatch.setattr(module, "ask_yes_no", ask_yes_no)
    monkeypatch.setattr(module, "ask_save_discard", ask_save_discard)
    monkeypatch.setattr(module, "ask_text", ask_text)
    return recorder


@pytest.fixture(autouse=True)
def english(qapp, monkeypatch):  # type: ignore[no-untyped-def]
    """Every test starts and ends in English with the app's fonts installed, also on a Chinese PC."""
    from ecrf.ui.app import create_app
    from ecrf.ui.i18n import install_language

    monkeypatch.setattr("ecrf.ui.settings.system_language", lambda: "en")

    create_app([])
    install_language("en")
    yield
    install_language("en")


def today() -> date:
    return app_clock.today()
