"""The report's first sections: alarms, bundles and conflicts, sites, enrolment."""
from __future__ import annotations

from collections.abc import Callable

from ecrf.merge.report.charts import MAX_LABELS, line_chart
from ecrf.merge.report.doc import Chart, Grid, Section, Text
from ecrf.merge.report.model import ReportData, Series, SiteLine

OUTCOME_TEXT = {"accepted": "Accepted", "superseded": "Superseded by a newer export",
                "covered": "Covered (already merged)", "refused": "Refused"}


def alarm_section(data: ReportData) -> Section:
    """First and loud: refused forks, rollbacks and tampering, and installations that keep an alarm."""
    standing = _standing_alarms(data)
    if not data.alarms and not standing:
        return Section("alarms", "Alarms", (Text(_no_alarm_text(data)),))
    blocks: list[Text] = []
    if data.alarms:
        blocks.append(Text(f"ALARM: {len(data.alarms)} bundle(s) refused as a fork, rollback or tampering. "
                           "Contact the site before its next export is merged.", "alarm"))
        blocks += [Text(f"{b.file_name} (site {b.site_code or 'unknown'}, export {_number(b.export_sequence)}): "
                        f"{b.reason}", "alarm") for b in data.alarms]
    blocks += [Text(f"ALARM: installation {s.site_code} ({s.installation_id[:8]}) keeps the alarm of a bundle "
                    f"refused earlier: {s.alarm}", "alarm") for s in standing]
    return Section("alarms", "Alarms", tuple(blocks))


def _standing_alarms(data: ReportData) -> tuple[SiteLine, ...]:
    """Installations whose alarm no alarmed bundle in the list shows any more (the refused file was given
    again and refused for another reason): the alarm stays until someone has looked."""
    shown = {b.installation_id for b in data.alarms}
    return tuple(s for s in data.sites if s.alarm and s.installation_id not in shown)


def _no_alarm_text(data: ReportData) -> str:
    """True whatever else was refused: other refusals are named as such, with where to read them."""
    text = "No alarms: no bundle was refused as a fork, rollback or tampering."
    refused = sum(1 for b in data.bundles if b.outcome == "refused")
    if refused:
        text += (f" {refused} bundle(s) were refused for other reasons (damaged, not registered, another study, "
                 "a subject another site holds …): see Bundles.")
    return text


def bundle_section(data: ReportData) -> Section:
    rows = tuple((("ALARM: " if b.alarm else "") + OUTCOME_TEXT.get(b.outcome, b.outcome), b.site_code,
                  _number(b.export_sequence), b.file_name, _time(b.data_as_of), b.reason) for b in data.bundles)
    counts = {o: sum(1 for b in data.bundles if b.outcome == o) for o in OUTCOME_TEXT}
    summary = (f"{len(data.bundles)} bundle file(s) seen: {counts['accepted']} accepted (the newest of each "
               f"installation), {counts['superseded']} superseded by a newer export, {counts['covered']} covered by "
               f"what was already merged, {counts['refused']} refused.")
    blocks: list[Text | Grid] = [Text(summary), Grid(
        ("Outcome", "Site", "Export", "File", "Data as of", "Reason"), rows, (20, 9, 8, 34, 17, 42),
        numeric=frozenset({2}), nowrap=frozenset({1, 4}), alarm_rows=frozenset(i for i, b in enumerate(data.bundles)
                                                    if b.alarm or b.outcome == "refused"),
        empty="No bundle has been merged yet.")]
    blocks.append(Text("Subjects claimed by two installations (reported, never overwritten):"))
    blocks.append(Grid(("Subject", "Held by", "Claimed by", "Bundle"),
                       tuple((c.subject, c.held_by, c.claimed_by, c.bundle_file) for c in data.conflicts),
                       (15, 20, 20, 45), alarm_rows=frozenset(range(len(data.conflicts))),
                       empty="No conflicts."))
    return Section("bundles", "Bundles", tuple(blocks))


def site_section(data: ReportData) -> Section:
    rows = tuple((s.site_code, s.site_name, s.installation_id[:8], str(s.export_sequence), _time(s.created_at),
                  _time(s.data_as_of), s.site_state, str(s.screened), str(s.allocated), s.alarm or "")
                 for s in data.sites)
    grid = Grid(("Site", "Name", "Installation", "Export", "Created", "Data as of", "State", "Screened",
                 "Allocated", "Alarm"), rows, (8, 18, 12, 8, 13, 13, 7, 10, 10, 22), numeric=frozenset({3, 7, 8}),
                nowrap=frozenset({0, 4, 5}),
                alarm_rows=frozenset(i for i, s in enumerate(data.sites) if s.alarm),
                empty="No site has been merged yet.")
    return Section("sites", "Sites", (Text("Each installation's newest merged export. Data as of: the time of the "
                                           "site's last audit event in that export."), grid))


def enrolment_section(data: ReportData) -> Section:
    enrolment = data.enrolment
    by_site = _enrolment_chart("Allocated subjects over time, by site (cumulative)", enrolment.dates,
                               enrolment.by_site, "Site")
    by_arm = _enrolment_chart("Allocated subjects over time, by arm (cumulative)", enrolment.dates,
                              enrolment.by_arm, "Arm", data.arm_label)
    total = sum(s.total for s in enrolment.by_arm)
    return Section("enrolment", "Enrolment", (
        Text(f"{total} subject(s) allocated at {len(data.sites)} site(s). A subject counts from its Day 0 "
             "(allocation date); subjects screened but not allocated do not."), by_site, by_arm))


def _enrolment_chart(title: str, dates: tuple[str, ...], series: tuple[Series, ...], name: str,
                     named: Callable[[str], str] = str) -> Chart:
    """The chart has every date, its legend the codes; its table the dates the axis names (at most MAX_LABELS),
    the total, and the names."""
    drawing = line_chart(dates, [(s.label, [s.at(d) for d in dates]) for s in series], "Subjects")
    shown = _spread(dates, MAX_LABELS - 2)
    rows = tuple((with_code(named(s.label), s.label), *(str(s.at(d)) for d in shown), str(s.total))
                 for s in series)
    grid = Grid((name, *shown, "Total"), rows, (22, *(12,) * len(shown), 10),
                numeric=frozenset(range(1, len(shown) + 2)), nowrap=frozenset({0}), empty="No subject allocated yet.")
    return Chart(title, drawing, grid)


def with_code(name: str, code: str) -> str:
    """An arm as the tables name it: its label, and the code the charts use."""
    return name if name == code else f"{name} ({code})"


def _spread(values: tuple[str, ...], most: int) -> tuple[str, ...]:
    """At most `most` values, evenly spread, the last always included."""
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return tuple(values[round(i * step)] for i in range(most))


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _time(text: str) -> str:
    """UTC ISO time to the minute, as people read it."""
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 else text
