"""The merge's summary line: counts per outcome, alarms, and what the central database holds."""
from __future__ import annotations

from pathlib import Path

import pytest

from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED, COVERED, REFUSED, BundleOutcome, CentralTotals, MergeRun


def _outcome(outcome: str, alarm: bool = False) -> BundleOutcome:
    return BundleOutcome(Path("b.zip"), "0" * 64, outcome, alarm=alarm)


@pytest.mark.req("MERGE-CLI")
def test_the_summary_counts_every_outcome_and_the_alarms() -> None:
    run = MergeRun([*[_outcome(ACCEPTED)] * 5, *[_outcome(COVERED)] * 8, _outcome(REFUSED),
                    _outcome(REFUSED, alarm=True)], CentralTotals(5, 17, 2345))
    assert run.summary() == ("15 bundles: 5 accepted, 8 covered, 2 refused (1 alarm); "
                             "central: 5 sites, 17 subjects, 2,345 values")
    assert not run.ok
    again = MergeRun([_outcome(ALREADY_MERGED)], CentralTotals(1, 1, 1))
    assert again.summary() == "1 bundle: 1 already merged; central: 1 site, 1 subject, 1 value" and again.ok
