"""The base of the parts FormEditorPage is made of (entries and live checks, source data verification, the
item menu, focus moves): mixins that each own one concern of the page and share its state.

For the type checker a part is the page itself, with the attributes FormEditorPage sets up and the methods
one part calls on another; at run time it is a plain class, so the page stays one QWidget (a second QObject
base would not work) and Qt finds the overridden event handlers on the page as before.

A part translates under the page's context, `translate("FormEditorPage", ...)`: its strings are the page's,
and lupdate would file a `self.tr()` under the part's own class name."""
from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea

    from ecrf.services.editing import FormState
    from ecrf.services.subject_data import FormRef
    from ecrf.study.validate import FormCheck
    from ecrf.ui.form_editor.findings_view import Banner
    from ecrf.ui.form_editor.header import Header
    from ecrf.ui.form_editor.history import HistoryDialog
    from ecrf.ui.form_editor.layout import ItemRow
    from ecrf.ui.form_editor.live import Entry
    from ecrf.ui.form_editor.sdv_marks import SdvMarker
    from ecrf.ui.page import Page
    from ecrf.ui.queries.panel import QueryPanel

    class EditorPart(Page):
        """What FormEditorPage has (see its __init__ and _build) and its parts rely on."""

        ref: FormRef
        lang: str
        state: FormState | None
        initial: dict[str, Entry]
        confirmed_now: set[str]
        rows: dict[str, ItemRow]
        touched: set[str]
        last_check: FormCheck | None
        _show_all: bool
        _show_required: bool
        _shown_once: bool
        can_verify: bool
        sdv_markers: dict[str, SdvMarker]
        start_at: str | None
        header: Header
        banner: Banner
        monitoring_line: QLabel
        query_panel: QueryPanel
        scroll_area: QScrollArea
        close_button: QPushButton
        save_button: QPushButton
        verify_button: QPushButton
        unverify_button: QPushButton
        history_dialog: HistoryDialog

        @abstractmethod
        def _load(self) -> None:
            """Reread the form from the database and show it (FormEditorPage)."""

        @abstractmethod
        def _left(self, code: str) -> None:
            """The user left item `code`: its findings show (EntryChecks)."""

        @abstractmethod
        def has_unsaved(self) -> bool:
            """Entries on screen differ from those stored (EntryChecks)."""

        @abstractmethod
        def unsaved_entries(self) -> dict[str, Entry]:
            """The entries on screen that differ from those stored (EntryChecks)."""

        @abstractmethod
        def restore_entries(self, entries: dict[str, Entry]) -> None:
            """Put entries back into the fields as typed (EntryChecks)."""

        @abstractmethod
        def item_labels(self, codes: list[str]) -> str:
            """The labels of these items as a bulleted list (EntryChecks)."""
else:
    EditorPart = object
