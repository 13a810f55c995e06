"""Hand-made monitoring records for the writers' tests: one subject's form with a query thread, SDV, a valid and
a broken signature and a lock, at fixed times."""
from __future__ import annotations

import dataclasses

from ecrf.export.records import (
    LockRecord,
    QueryMessageRecord,
    QueryRecord,
    SdvRecord,
    SignatureRecord,
    SubjectRecord,
)

MEANING_EN = "I have reviewed the data in this casebook and confirm that they are accurate and complete."
MEANING_ZH = "本人已审阅本病例报告表中的数据，确认其准确、完整。"


def thread(query_id: str) -> tuple[QueryMessageRecord, ...]:
    return (QueryMessageRecord(query_id, "raised", "monitor", "monitor", "2026-11-25T01:00:00.000000Z",
                               "Please check the chart", None),
            QueryMessageRecord(query_id, "answered", "nurse", "nurse", "2026-11-25T02:00:00.000000Z",
                               "Checked: correct, 心率正常", "confirmed_correct"),
            QueryMessageRecord(query_id, "closed", "monitor", "monitor", "2026-11-25T03:00:00.000000Z",
                               "Thanks", None))


def signature(where: dict[str, object], *, scope: str = "form", state: str = "valid",
              at: str = "2026-11-25T05:00:00.000000Z") -> SignatureRecord:
    broken = state == "broken"
    return SignatureRecord(
        ceremony="c-1", scope=scope, username="investigator", full_name="Dr Lin Zhao", meaning_en=MEANING_EN,
        meaning_zh=MEANING_ZH, meaning_version="1", signed_at=at, data_hash="ab" * 32, key_id="0123456789abcdef",
        public_key="cd" * 32, signature="c2lnbmF0dXJl", state=state,
        broken_at="2026-11-25T06:00:00.000000Z" if broken else None,
        broken_reason="PULSE changed: typing error" if broken else None, **where)  # type: ignore[arg-type]


def monitored(subject: SubjectRecord, visit: str = "SCR") -> SubjectRecord:
    """`subject` with monitoring on its vital signs at `visit`: TEMP verified, OXYSAT changed since verified (the
    plan asks for TEMP, OXYSAT and O2SUP), a closed query on TEMP and an open automatic one on the visit."""
    form = next(f for f in subject.forms if f.form == "VS" and f.visit == visit)
    where: dict[str, object] = {"subject": subject.label, "visit": form.visit, "form": form.form,
                                "timepoint": form.timepoint, "repeat": form.repeat}
    item = "TEMP"
    query = QueryRecord(query_id="Q-0001", scope="item", item=item, origin="manual", check_key="", state="closed",
                        raised_by="monitor", raised_role="monitor", raised_at="2026-11-25T01:00:00.000000Z",
                        updated_at="2026-11-25T03:00:00.000000Z", messages=thread("Q-0001"), **where)  # type: ignore[arg-type]
    visit_query = QueryRecord(query_id="Q-0002", scope="visit", subject=subject.label, visit=visit, form="",
                              timepoint="", repeat=0, item="", origin="auto", check_key="missing:SCR",
                              state="open", raised_by="system", raised_role="system",
                              raised_at="2026-11-25T01:30:00.000000Z", updated_at="2026-11-25T01:30:00.000000Z",
                              messages=(QueryMessageRecord("Q-0002", "raised", "system", "system",
                                                           "2026-11-25T01:30:00.000000Z",
                                                           "Required data missing", None),))
    sdv = (SdvRecord(item=item, state="verified", verified_at="2026-11-25T04:00:00.000000Z", verified_by="monitor",
                     changed_at=None, **where),  # type: ignore[arg-type]
           SdvRecord(item="OXYSAT", state="changed_since_verified",
                     verified_at="2026-11-25T04:00:00.000000Z", verified_by="monitor",
                     changed_at="2026-11-25T06:00:00.000000Z", **where))  # type: ignore[arg-type]
    signatures = (signature(where), signature(where, state="broken", at="2026-11-25T05:30:00.000000Z"),
                  signature({**where, "visit": "", "form": "", "timepoint": "", "repeat": 0}, scope="subject"))
    lock = LockRecord(scope="form", locked_at="2026-11-25T07:00:00.000000Z", locked_by="investigator", active=True,
                      unlocked_at=None, unlocked_by=None, unlock_reason=None, **where)  # type: ignore[arg-type]
    return dataclasses.replace(subject, queries=(query, visit_query), sdv=sdv, signatures=signatures, locks=(lock,))
