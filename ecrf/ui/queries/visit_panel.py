"""The queries on one visit as a whole (the eCRF's "forms not started", a monitor's "was this visit done?", the
sponsor's), under the subject's schedule for the visit chosen there: the site reads and answers them, the monitor
raises, closes, cancels and re-opens them, all in the same thread dialog as a form's queries."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ecrf.services import queries
from ecrf.services.queries import QueryPlace, QueryThread
from ecrf.services.session import SiteSession
from ecrf.ui.queries.panel import QueryLines
from ecrf.ui.queries.words import visit_name


class VisitQueryPanel(QueryLines):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "visit_query_panel", parent)
        self.subject, self.visit = "", ""

    def show_visit(self, subject: str, visit: str | None) -> None:
        """The queries of `visit` read anew (after a step elsewhere too); no visit chosen: nothing shown."""
        self.subject, self.visit = subject, visit or ""
        if not self.visit:
            self.threads = []
            self.setVisible(False)
            return
        self.reload()

    def fetch(self) -> list[QueryThread]:
        return queries.visit_queries(self.session, self.subject, self.visit)

    def heading(self, asking: int, total: int) -> str:
        return self.tr("Queries on visit {0}: {1} open or answered, {2} in all").format(
            visit_name(self.session.study, self.visit, self.lang), asking, total)

    def raise_label(self) -> tuple[str, str]:
        return self.tr("Raise query on this visit…"), "raise_visit_query"

    def place(self, item: str | None) -> QueryPlace:
        return QueryPlace.on_visit(self.subject, self.visit)
