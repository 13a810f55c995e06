"""The demo site: a new site filled with synthetic subjects through the public services only, so every
value is validated, confirmed and audited exactly as if staff had typed it. Deterministic for a given
number of subjects and `today` (values come from fixed seeds; only audit times and keys differ)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ecrf.demo import errors as _errors  # noqa: F401 - registers the demo's codes
from ecrf.demo.events import announce_entries, place_events
from ecrf.demo.monitoring import add_monitoring
from ecrf.demo.plan import allocation_rows, plan_subjects
from ecrf.demo.scenario import Scenario, load_scenario, scenario_file
from ecrf.demo.scenario_check import check_scenario
from ecrf.demo.writer import Writer
from ecrf.services.auth import login
from ecrf.services.errors import InvalidInput
from ecrf.services.session import SiteSession
from ecrf.services.site_setup import create_site
from ecrf.services.subjects import import_allocation_list
from ecrf.services.users import add_user
from ecrf.store.clock import Clock  # the services' clock type: the demo passes one clock to every session
from ecrf.store.kdf import demo_profile
from ecrf.study.model import Study

SITE_CODE, SITE_NAME = "DEMO", "Demo hospital (synthetic data)"


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
    DemoUser("nurse", "nurse", "Mei Chen (demo)", "demo-nurse-2020"),
    DemoUser("monitor", "monitor", "Sam Patel (demo)", "demo-monitor-2020"),
    DemoUser("reader", "read_only", "Jo Kim (demo)", "demo-reader-2020"),
)


@dataclass(frozen=True)
class Login:
    """The demo users' sessions on the new site, all on one clock."""

    db_path: Path
    study: Study
    clock: Clock
    passwords: Mapping[str, str]

    @contextmanager
    def session(self, username: str) -> Iterator[SiteSession]:
        session = login(self.db_path, self.study, username, self.passwords[username], self.clock)
        try:
            yield session
        finally:
            session.close()


def create_demo(db_path: Path, study: Study, *, subjects: int = 20, today: date | None = None,
                clock: Clock | None = None, site: tuple[str, str] = (SITE_CODE, SITE_NAME)) -> DemoSite:
    """Create the demo site at `db_path` (SiteExists if there is one already) and fill it with `subjects`.
    `site` is its (code, name): several demo sites of one study make data for the sponsor's merge."""
    if subjects < 0:
        raise InvalidInput("demo-subjects-negative", count=subjects)
    clock = clock or Clock()
    today = today or clock.now().date()
    if today > clock.now().date():  # allocation and end dates are checked against the computer's date
        raise InvalidInput("demo-today-in-future", today=today.isoformat(), now=clock.now().date().isoformat())
    scenario = checked_scenario(study)
    rows = allocation_rows(study, subjects)
    plans = plan_subjects(study, scenario, subjects, today, [arm for _, arm in rows])
    writer = Writer(study, scenario, today)
    place_events(study, scenario, plans, today)
    announce_entries(study, writer.maker.log_roles, plans)
    recovery_code = _set_up_site(db_path, study, rows, clock, site)
    login = Login(db_path, study, clock, {u.username: u.password for u in DEMO_USERS})
    writer.run(login, plans)
    allocated = [p.label for p in sorted(plans, key=lambda p: (p.day0 or today, p.index)) if p.allocated]
    add_monitoring(login, study, allocated, dict(login.passwords), today)
    labels = tuple(p.label for p in sorted(plans, key=lambda p: (p.consent, p.index)))
    return DemoSite(db_path, recovery_code, DEMO_USERS, labels)


def checked_scenario(study: Study) -> Scenario:
    """The study's scenario; a scenario with problems is refused with the first of them."""
    problems = check_scenario(study)
    if problems:
        path = scenario_file(study)
        raise InvalidInput("demo-scenario-has-problems", path=path, count=len(problems), first=problems[0])
    return load_scenario(study)


def _set_up_site(db_path: Path, study: Study, rows: list[tuple[str, str]], clock: Clock,
                 site: tuple[str, str]) -> str:
    admin = DEMO_USERS[0]
    # Every demo password is public (README, login screen), the administrator's too, and the recovery code is
    # random: hardened slots would protect nothing here and cost a newcomer's first start over a second (two
    # calibrations and three calibrated derivations). So every slot of the demo, and only of the demo, gets
    # the cheap, marked demo profile (docs/storage.md, "Keys"); a password changed later is hardened as usual.
    with demo_profile():
        new = create_site(db_path, study, *site, admin.username, admin.full_name, admin.password, clock=clock)
        try:
            for user in DEMO_USERS[1:]:
                add_user(new.session, user.username, user.full_name, user.role, password=user.password)
            if rows:
                import_allocation_list(new.session, "rand_no,arm\n" + "".join(f"{n},{arm}\n" for n, arm in rows))
        finally:
            new.session.close()
    return new.recovery_code
