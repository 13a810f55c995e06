"""Demo data for the sponsor's side: several demo sites of the study, each with a few signed bundles, so the
merge, the merged data set, the report and the query round trip can be tried without a real site.

Each site is a small demo site of its own (its own code, installation, keys and certificate), exported by its
nurse; between two exports the site's monitor raises a query on a visit and the nurse answers it, so a later
bundle extends the earlier one's audit trail the way a real site's does. Study-neutral, like the demo itself.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ecrf.demo.site import DEMO_USERS, create_demo
from ecrf.merge.trust_registry import open_registry
from ecrf.merge.trust_source import AddRequest, new_entry
from ecrf.services import queries
from ecrf.services.auth import login
from ecrf.services.export import export_bundle
from ecrf.services.query_steps import QueryPlace
from ecrf.services.session import SiteSession
from ecrf.services.signing import site_certificate
from ecrf.study.model import Study
from ecrf.study.status import ResponseCode

PASSWORDS = {user.username: user.password for user in DEMO_USERS}
Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoSiteBundles:
    code: str
    db_path: Path
    bundles: tuple[Path, ...]  # oldest first
    certificate: Path  # the site certificate (PEM) the sponsor registers
    fingerprint: str


def site_codes(count: int) -> list[str]:
    return [f"DEMO{n}" for n in range(1, count + 1)]


def make_sponsor_demo(folder: Path, study: Study, *, sites: int = 3, subjects: int = 4, exports: int = 2,
                      progress: Progress | None = None) -> list[DemoSiteBundles]:
    """`sites` demo sites under folder/sites, their bundles in folder/bundles, certificates in folder/certificates."""
    say = progress or (lambda _text: None)
    made = []
    for code in site_codes(sites):
        say(f"site {code}: {subjects} subjects")
        made.append(_make_site(folder, study, code, subjects, exports, say))
    return made


def register_sites(made: list[DemoSiteBundles], registry_path: Path) -> None:
    """Each demo site's certificate in a trust registry (as the sponsor would with `ecrf trust add`)."""
    registry = open_registry(registry_path)
    for site in made:
        registry.add(new_entry(AddRequest(str(site.certificate), site.code, note="demo site")))
    registry.save()


def _make_site(folder: Path, study: Study, code: str, subjects: int, exports: int, say: Progress) -> DemoSiteBundles:
    db_path = folder / "sites" / code / "site.db"
    create_demo(db_path, study, subjects=subjects, site=(code, f"Demo hospital {code[4:]} (synthetic data)"))
    out = folder / "bundles"
    out.mkdir(parents=True, exist_ok=True)
    bundles = []
    for number in range(1, exports + 1):
        if number > 1:
            _monitoring_visit(db_path, study)
        with _session(db_path, study, "nurse") as nurse:
            bundles.append(export_bundle(nurse, out).path)
        say(f"site {code}: export {number} written")
    with _session(db_path, study, "nurse") as nurse:
        certificate = site_certificate(nurse)
    pem = folder / "certificates" / f"{code}.pem"
    pem.parent.mkdir(parents=True, exist_ok=True)
    pem.write_text(certificate.pem, encoding="ascii")
    return DemoSiteBundles(code, db_path, tuple(bundles), pem, certificate.fingerprint)


def _monitoring_visit(db_path: Path, study: Study) -> None:
    """What happens at a site between two exports: a query raised on a visit, answered by the nurse."""
    with _session(db_path, study, "monitor") as monitor:
        inbox = queries.query_inbox(monitor)
        if not inbox:
            return
        place = inbox[0].place
        query = queries.raise_query(monitor, QueryPlace.on_visit(place.subject, place.visit),
                                    "Please file the source documents of this visit in the subject's binder.")
    with _session(db_path, study, "nurse") as nurse:
        queries.answer_query(nurse, query, "Filed today.", ResponseCode.OTHER)


def _session(db_path: Path, study: Study, username: str) -> closing[SiteSession]:
    return closing(login(db_path, study, username, PASSWORDS[username]))
