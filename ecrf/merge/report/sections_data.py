"""The report's data sections: completeness, open queries, SDV, signatures, adverse events, deaths."""
from __future__ import annotations

from ecrf.merge.report.charts import bar_chart
from ecrf.merge.report.doc import Chart, Grid, Section, Text
from ecrf.merge.report.model import NOT_ALLOCATED, NOT_GRADED, QUERY_AGE_BUCKETS, ReportData
from ecrf.merge.report.sections_merge import with_code

ALL_SITES = "All sites"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def completeness_section(data: ReportData) -> Section:
    visits: dict[str, tuple[int, int]] = {}
    for line in data.completeness:
        done, expected = visits.get(line.visit, (0, 0))
        visits[line.visit] = (done + line.complete, expected + line.expected)
    codes = list(visits)
    drawing = bar_chart(codes, [("Complete", [100 * visits[v][0] / visits[v][1] for v in codes])],
                        "% of expected forms complete", percent=True)
    per_visit = Grid(("Visit", "Complete", "Expected", "Complete %"),
                     tuple((v, str(visits[v][0]), str(visits[v][1]), percent(*visits[v])) for v in codes),
                     (30, 15, 15, 15), numeric=frozenset({1, 2, 3}), empty="No forms expected yet.")
    per_form = Grid(("Visit", "Form", "Complete", "Expected", "Complete %"),
                    tuple((f"{c.visit} {c.visit_label}", f"{c.form} {c.form_label}", str(c.complete),
                           str(c.expected), percent(c.complete, c.expected)) for c in data.completeness),
                    (34, 38, 12, 12, 12), numeric=frozenset({2, 3, 4}), empty="No forms expected yet.")
    return Section("completeness", "Completeness", (
        Text("Form instances complete out of those expected by each site's data-as-of date (how 'expected' is "
             "counted: see Notes)."),
        Chart("Forms complete per visit (% of expected)", drawing, per_visit),
        Text("Per visit and form:"), per_form))


def query_section(data: ReportData) -> Section:
    labels = [label for label, _, _ in QUERY_AGE_BUCKETS]
    totals = [sum(q.buckets[i] for q in data.queries) for i in range(len(labels))]
    drawing = bar_chart(labels, [("Unresolved queries", totals)], "Queries")
    rows = [(q.site_code, *(str(n) for n in q.buckets), str(q.open), str(q.answered),
             "" if q.oldest_days is None else str(q.oldest_days)) for q in data.queries]
    oldest = max((q.oldest_days for q in data.queries if q.oldest_days is not None), default=None)
    rows.append((ALL_SITES, *(str(n) for n in totals), str(sum(q.open for q in data.queries)),
                 str(sum(q.answered for q in data.queries)), "" if oldest is None else str(oldest)))
    grid = Grid(("Site", *labels, "Open", "Answered", "Oldest (days)"), tuple(rows),
                (16, *(11,) * len(labels), 9, 10, 11), numeric=frozenset(range(1, len(labels) + 4)),
                nowrap=frozenset({0}))
    return Section("queries", "Open queries", (
        Text("Queries still open (waiting for the site) or answered (waiting for the monitor to close them), by "
             "days from raised to the site's data-as-of date."),
        Chart("Unresolved queries by age", drawing, grid)))


def sdv_section(data: ReportData) -> Section:
    codes = [s.site_code for s in data.sdv]
    drawing = bar_chart(codes, [("Verified", [s.verified for s in data.sdv]),
                                ("Not verified", [s.required - s.verified for s in data.sdv])],
                        "Items", stacked=True)
    rows = [(s.site_code, str(s.required), str(s.verified), percent(s.verified, s.required), str(s.changed),
             str(s.forms_outstanding)) for s in data.sdv]
    if rows:
        required, verified = sum(s.required for s in data.sdv), sum(s.verified for s in data.sdv)
        rows.append((ALL_SITES, str(required), str(verified), percent(verified, required),
                     str(sum(s.changed for s in data.sdv)), str(sum(s.forms_outstanding for s in data.sdv))))
    grid = Grid(("Site", "Items required", "Verified", "Verified %", "Changed since verified",
                 "Forms outstanding"), tuple(rows), (16, 14, 12, 12, 18, 16), numeric=frozenset({1, 2, 3, 4, 5}),
                nowrap=frozenset({0}), empty="No site has been merged yet.")
    return Section("sdv", "Source data verification", (
        Text("Items the monitoring plan asks to verify on complete forms, and how many are verified and unchanged "
             "since; changed since verified: to verify again."),
        Chart("SDV progress per site (items)", drawing, grid)))


def signature_section(data: ReportData) -> Section:
    rows = tuple((s.site_code, str(s.ended), str(s.signed), str(len(s.awaiting)), ", ".join(s.awaiting),
                  ", ".join(s.broken)) for s in data.signatures)
    grid = Grid(("Site", "Ended casebooks", "Signed", "Awaiting", "Awaiting signature", "Broken signatures"), rows,
                (10, 12, 9, 10, 30, 30), numeric=frozenset({1, 2, 3}), nowrap=frozenset({0}),
                alarm_rows=frozenset(i for i, s in enumerate(data.signatures) if s.broken),
                empty="No site has been merged yet.")
    return Section("signatures", "Signatures outstanding", (
        Text("A casebook is due for the investigator's signature once the subject's participation ended; a broken "
             "signature covers data changed after signing."), grid))


def adverse_event_section(data: ReportData) -> Section:
    ae = data.adverse_events
    if not ae.form:
        return Section("adverse-events", "Adverse events", (
            Text("The study definition has no adverse event form with a grade item (CDASH AETOXGR or AESEV): "
                 "nothing to count."),))
    arms = [a for a in ae.arms if a != NOT_ALLOCATED or any(ae.events.get((g, a)) for g, _ in ae.grades)]
    grades = [(code, label) for code, label in ae.grades if code != NOT_GRADED or any(
        ae.events.get((code, a)) for a in arms)]
    drawing = bar_chart([_grade_short(c) for c, _ in grades],
                        [(a, [ae.events.get((c, a), 0) for c, _ in grades]) for a in arms], "Events")
    rows = [(label, *(str(ae.events.get((code, a), 0)) for a in arms),
             str(sum(ae.events.get((code, a), 0) for a in arms))) for code, label in grades]
    rows.append(("Subjects with at least one event", *(str(ae.subjects.get(a, 0)) for a in arms),
                 str(sum(ae.subjects.get(a, 0) for a in arms))))
    grid = Grid(("Grade", *(with_code(data.arm_label(a), a) for a in arms), "Total"), tuple(rows),
                (40, *(18,) * len(arms), 12), numeric=frozenset(range(1, len(arms) + 2)))
    return Section("adverse-events", "Adverse events", (
        Text(f"Entries of the {ae.form} log ({ae.form_label}) by {ae.grade_item} and the subject's arm; removed "
             "entries do not count."),
        Chart("Adverse events by grade and arm", drawing, grid)))


def _grade_short(code: str) -> str:
    return code if code == NOT_GRADED else f"Grade {code}" if code.isdigit() else code


def death_section(data: ReportData) -> Section:
    deaths = data.deaths
    drawing = bar_chart([d.arm for d in deaths.lines],
                        [(f"Died by Day {deaths.day}", [d.died for d in deaths.lines])], "Subjects")
    rows = tuple((with_code(data.arm_label(d.arm), d.arm), str(d.allocated), str(d.reached), str(d.died),
                  percent(d.died, d.reached)) for d in deaths.lines)
    grid = Grid(("Arm", "Allocated", f"Reached Day {deaths.day}", f"Died by Day {deaths.day}",
                 "Died % of reached"), rows, (40, 14, 18, 18, 18), numeric=frozenset({1, 2, 3, 4}))
    return Section("deaths", f"Deaths by Day {deaths.day}", (
        Text(f"Allocated subjects who died on or before Day {deaths.day} after allocation, per arm. Reached: died "
             f"by then, or Day {deaths.day} lies on or before the site's data-as-of date. Deaths are read from: "
             + "; ".join(deaths.sources) + "."),
        Chart(f"Deaths by Day {deaths.day} per arm", drawing, grid)))
