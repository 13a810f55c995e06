"""A merge's answer: every bundle given, with its outcome and the reason, and the run's totals.

Outcomes, as the sponsor reads them:
- accepted: verified, continues the installation's merged history; its data now stand for that installation;
- covered: verified, but an older point of a history already merged (a stale bundle arriving late): recorded,
  nothing changes;
- already merged: this very file (same SHA-256) was accepted or covered before: nothing is checked or changed;
- refused: not merged, with the reason; `alarm` when the installation's history was rewritten, forked or rolled
  back, or the bundle was altered or forged (ecrf.merge.tamper): someone must look.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ACCEPTED, COVERED, ALREADY_MERGED, REFUSED = "accepted", "covered", "already merged", "refused"
SUPERSEDED = "superseded"  # kept in the bundles log for an accepted bundle that a newer one replaced
OUTCOMES = (ACCEPTED, COVERED, ALREADY_MERGED, REFUSED)


@dataclass(frozen=True)
class BundleOutcome:
    path: Path
    sha256: str
    outcome: str  # one of OUTCOMES
    reason: str = ""  # a refusal's reason, or what covered it
    alarm: bool = False
    site_code: str | None = None  # as the manifest says (verified unless the bundle was refused)
    installation_id: str | None = None
    sequence: int | None = None
    values: int = 0  # item values loaded (accepted only)

    @property
    def label(self) -> str:
        """'CN02 export 2', or the file's name when the manifest could not be read."""
        if self.site_code is None or self.sequence is None:
            return self.path.name
        return f"{self.site_code} export {self.sequence}"


@dataclass(frozen=True)
class CentralTotals:
    sites: int
    subjects: int
    values: int


@dataclass
class MergeRun:
    bundles: list[BundleOutcome] = field(default_factory=list)  # in the order they were merged
    totals: CentralTotals | None = None  # what the central database holds after the run

    def count(self, outcome: str) -> int:
        return sum(1 for b in self.bundles if b.outcome == outcome)

    @property
    def alarms(self) -> int:
        return sum(1 for b in self.bundles if b.alarm)

    @property
    def ok(self) -> bool:
        """Every bundle accepted, covered or already merged (exit 0 of `ecrf merge`)."""
        return self.count(REFUSED) == 0

    def summary(self) -> str:
        """'15 bundles: 5 accepted, 8 covered, 2 refused (1 alarm); central: 5 sites, 17 subjects, 2,345 values'."""
        counts = Counter(b.outcome for b in self.bundles)
        parts = [f"{counts[o]} {o}" for o in OUTCOMES if counts[o]]
        text = f"{_many(len(self.bundles), 'bundle')}: {', '.join(parts) or 'none'}"
        if self.alarms:
            text += f" ({_many(self.alarms, 'alarm')})"
        if self.totals is not None:
            t = self.totals
            text += f"; central: {_many(t.sites, 'site')}, {_many(t.subjects, 'subject')}, {_many(t.values, 'value')}"
        return text


def _many(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
