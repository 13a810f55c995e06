"""A site for the query tests: one enrolled control subject with Day 0 vital signs, and its users taking turns
(only one session may hold a site at a time), all on one test clock."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from subject_helpers import ManualTime, enrol, login_at, save_confirming

from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.model import Study


class Desk:
    """Whoever sits at the PC: `desk("nurse")` logs the current user out and the nurse in."""

    def __init__(self, db: Path, study: Study, time: ManualTime) -> None:
        self.db, self.study, self.time = db, study, time
        self.current: SiteSession | None = None
        self.username = ""

    def __call__(self, username: str) -> SiteSession:
        if self.current is not None and self.username == username:
            return self.current
        self.close()
        self.current, self.username = login_at(self.db, self.study, username, self.time), username
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


def vital_signs_site(sites, study: Study, *, day0_days_ago: int = 0):  # type: ignore[no-untyped-def]
    """(desk, D0 VS ref of a control subject) with pulse 80 and temperature 37.0 saved at Day 0."""
    db, _ = sites.make()
    desk = Desk(db, study, ManualTime())
    investigator = desk("investigator")
    day0 = app_clock.today() - timedelta(days=day0_days_ago)
    label = enrol(investigator, manual=("CTRL", "M001"), day0=day0,
                  consent=day0 - timedelta(days=1))
    ref = FormRef(label, "D0", "VS")
    if not day0_days_ago:
        save_confirming(investigator, ref, {"VSDAT": day0.isoformat(), "PULSE": "80", "TEMP": "37.0"})
    return desk, ref
