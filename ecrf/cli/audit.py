"""`ecrf audit verify` (the whole trail check), `ecrf audit acknowledge` and `ecrf audit show` (a table)."""
from __future__ import annotations

import argparse
from datetime import timedelta

from ecrf.cli.common import site_session, table
from ecrf.services import audit_trail, integrity
from ecrf.services.audit_trail import EventView
from ecrf.store.clock import parse_utc

HEADER = ("seq", "local time (UTC offset)", "user", "role", "action", "subject/visit/form/item", "old → new",
          "reason", "clock note")


PROBLEMS_SHOWN = 20


def cmd_verify(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        found = integrity.check(session)
        copy = integrity.against(session, args.against.expanduser()) if args.against else None
    print("\n".join(verify_lines(found, copy)))
    return 0 if found.ok and (copy is None or copy[1] is None) else 1


def verify_lines(found: integrity.Integrity, copy: tuple[integrity.CopyHead, str | None] | None) -> list[str]:
    report = found.report
    facts = (f"{report.events} events, {report.seals} seals, head {report.head_hash}")
    if report.ok:
        lines = [f"audit trail OK: {facts}"]
    else:
        lines = [f"audit trail BROKEN: {report.problem}", f"  ({facts})"]
        lines += [f"  problem: {p}" for p in report.problems[1:PROBLEMS_SHOWN]]
        if len(report.problems) > PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(report.problems) - PROBLEMS_SHOWN} more")
        ack = found.acknowledged
        lines.append(f"  acknowledged by {ack.by} at {ack.at_utc}: {ack.reason}" if ack else
                     "  not acknowledged: export is blocked until a site administrator runs "
                     "`ecrf audit acknowledge --reason TEXT`")
    lines += [f"  note: {note}" for note in report.notes]
    if copy is not None:
        head, problem = copy
        lines.append(f"against {head.source}: " + (f"NOT HELD: {problem}" if problem else
                                                     f"the trail still holds its head (event {head.seq})"))
    return lines


def cmd_acknowledge(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        ack = integrity.acknowledge(session, args.reason)
    print(f"finding acknowledged ({ack.digest[:16]}): export is possible again; bundles carry the finding")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        events = audit_trail.events(session, subject=args.subject, limit=args.limit)
    if not events:
        print("No audit events" + (f" for {args.subject}." if args.subject else "."))
        return 0
    print(table(HEADER, [_row(e) for e in events]))
    return 0


def local_time(at_utc: str, offset_min: int) -> str:
    """The time as the workstation's clock showed it, with its offset: 2024-05-01 14:03:22 +08:00."""
    local = parse_utc(at_utc) + timedelta(minutes=offset_min)
    sign, minutes = ("-", -offset_min) if offset_min < 0 else ("+", offset_min)
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _value(value: str | None, missing: str | None) -> str:
    if value is not None:
        return value
    return f"[{missing}]" if missing else ""


def _where(e: EventView) -> str:
    timepoint = f"@{e.timepoint}" if e.timepoint else ""
    repeat = f"#{e.repeat}" if e.repeat else ""
    parts = [e.subject, e.visit, f"{e.form or ''}{timepoint}{repeat}" or None, e.item]
    return "/".join(p for p in parts if p)


def _change(e: EventView) -> str:
    old, new = _value(e.old_value, e.old_missing), _value(e.new_value, e.new_missing)
    if not old and not new:
        return ""
    return f"{old} → {new}" if old else new


def _row(e: EventView) -> list[str]:
    return [str(e.seq), local_time(e.at_utc, e.utc_offset_min), e.username, e.role, e.action, _where(e),
            _change(e), e.reason or "", e.clock_note or ""]
