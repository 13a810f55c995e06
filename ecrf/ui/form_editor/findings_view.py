"""How findings look: red for a refusal (hard), amber for a warning to confirm (soft), grey-blue for a
required answer still missing; the same colours for the field frame, its message and the page banner."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from ecrf.study.findings import Finding, Severity

COLOURS = {  # (frame, text, background) — dark texts on light backgrounds stay readable on any screen
    Severity.HARD: ("#c62828", "#9b0000", "#fdecea"),
    Severity.SOFT: ("#e69500", "#7a4a00", "#fff4e0"),
    Severity.INCOMPLETE: ("#5c7c99", "#2c4a66", "#eaf1f8"),
    "ok": ("#2e7d32", "#1b5e20", "#e8f5e9"),
}
ORDER = (Severity.HARD, Severity.SOFT, Severity.INCOMPLETE)


def worst(findings: Iterable[Finding]) -> Severity | None:
    present = {f.severity for f in findings}
    return next((s for s in ORDER if s in present), None)


def field_style(object_name: str, severity: str | None) -> str:
    """A coloured frame round the field (only the frame: the editors keep their native look)."""
    if severity is None:
        return f"QFrame#{object_name} {{ border: 2px solid transparent; border-radius: 3px; }}"
    frame = COLOURS[Severity(severity)][0]
    return f"QFrame#{object_name} {{ border: 2px solid {frame}; border-radius: 3px; }}"


def paint_text(label: QLabel, colour: str, bold: bool = False) -> None:
    """Text colour (and weight) through the palette: a per-widget style sheet would do the same at many
    times the cost, and a form has a label per item."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)


def finding_line(finding: Finding, lang: str, confirmed_note: str) -> str:
    text = finding.text(lang)
    return f"{text} {confirmed_note}" if finding.severity is Severity.SOFT and finding.confirmed else text


class FindingLabel(QLabel):
    """The messages under one item (shown as the user leaves the field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def show_findings(self, findings: list[Finding], lang: str, confirmed_note: str) -> None:
        if not findings:
            self.clear()
            self.hide()
            return
        severity = worst(findings) or Severity.HARD
        paint_text(self, COLOURS[severity][1])
        self.setText("\n".join(finding_line(f, lang, confirmed_note) for f in findings))
        self.show()


class Banner(QLabel):
    """One line at the top of the form: the outcome of the last save, or why the form is read-only.

    Each message comes with the condition that keeps it true (`holds`); the page calls `follow()` as the
    user types and leaves fields, so a message never outlives its cause ("Saved" next to unsaved typing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self._holds: Callable[[], bool] | None = None
        self._again: Callable[[], str] | None = None
        self.hide()

    def say(self, text: str, kind: str, holds: Callable[[], bool] | None = None,
            again: Callable[[], str] | None = None) -> None:
        """Show `text`; `holds` says whether its cause is still there (None: until the next message), `again`
        words it anew while it holds (a count of answers still refused)."""
        frame, fg, bg = COLOURS[kind if kind == "ok" else Severity(kind)]
        self.setStyleSheet(f"QLabel#banner {{ color: {fg}; background: {bg}; border: 1px solid {frame}; "
                           f"border-radius: 3px; padding: 6px; }}")
        self.setText(text)
        self._holds, self._again = holds, again
        self.show()

    def follow(self) -> None:
        """Take the message away once its cause is gone."""
        if self._holds is None or self.isHidden():
            return
        if not self._holds():
            self.clear_message()
        elif self._again is not None:
            self.setText(self._again())

    def clear_message(self) -> None:
        self._holds = self._again = None
        self.clear()
        self.hide()
