"""The demo site: a new site filled with synthetic subjects through the public services only, so every
value is validated, confirmed and audited exactly as if staff had typed it. Deterministic for a given
number of subjects and `today` (values come from fixed seeds; only audit times and keys differ)."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from random import Random
from typing import Any

from ecrf.services import demo_values as dv
from ecrf.services.auth import login
from ecrf.services.errors import InvalidInput, NeedsConfirmation, ServiceError, ValuesRefused
from ecrf.services.forms import save_form
from ecrf.services.logs import add_log_entry, remove_log_entry
from ecrf.services.session import SiteSession
from ecrf.services.site_setup import create_site
from ecrf.services.subject_data import FormRef
from ecrf.services.subjects import allocate, end_participation, import_allocation_list, screen_subject
from ecrf.services.users import add_user
from ecrf.store.clock import Clock
from ecrf.store.models import SubjectStatus
from ecrf.study.model import Study, Visit
from ecrf.study.schedule import window_of
from ecrf.study.values import PartialDate

log = logging.getLogger(__name__)

SEED = 20200127  # the trial's start date: the same demo on every machine
SITE_CODE, SITE_NAME = "DEMO", "Demo hospital (synthetic data)"
SPAN_DAYS = 200  # subjects are screened over the last ~200 days, so some have finished Day 180


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name: str
    password: str


@dataclass(frozen=True)
class DemoSite:
    db_path: Path
    recovery_code: str
    users: tuple[DemoUser, ...]
    subject_ids: tuple[str, ...]  # subject ids, or screening numbers of subjects never allocated


DEMO_USERS = (
    DemoUser("admin", "site_admin", "Ada Admin (demo)", "demo-admin-2020"),
    DemoUser("investigator", "investigator", "Dr Lin Zhao (demo)", "demo-investigator-2020"),
    DemoUser("nurse", "nurse", "Mei Chen (demo nurse)", "demo-nurse-2020"),
    DemoUser("monitor", "monitor", "Sam Patel (demo monitor)", "demo-monitor-2020"),
    DemoUser("reader", "read_only", "Jo Kim (demo reader)", "demo-reader-2020"),
)


class Fate(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILURE = "screen_failure"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"


@dataclass
class Plan:
    """One synthetic subject: what happens to it and when."""

    index: int
    fate: Fate
    consent: date
    profile: dv.Profile
    rng: Random
    day0: date | None = None
    arm: str | None = None
    end: date | None = None  # death, withdrawal or completion
    visits: dict[str, date] = field(default_factory=dict)  # visits after Day 0 that took place
    flags: dict[str, set[str]] = field(default_factory=dict)  # per visit: special cases for the values
    failed_item: str | None = None
    aes: list[dv.AePlan] = field(default_factory=list)
    cms: list[dv.CmPlan] = field(default_factory=list)
    saved: dict[str, dict[str, Any]] = field(default_factory=dict)  # screening forms as saved
    label: str = ""

    def flag(self, visit: str, name: str) -> None:
        self.flags.setdefault(visit, set()).add(name)


