"""Reading an ecrf `odm.xml` back: today's item values and form states, by replaying its transactions.

Transactions are applied in file order, as ODM prescribes: Insert / Update / Upsert set an item, Remove
drops it (or a whole form, event or subject), Context changes nothing. A child without a TransactionType
inherits its parent's. Values come back as ecrf's stored text (`odm_values.from_odm`, by the DataType of
the ItemDef in the same file); a null item's missing code comes from its MISSING flag. The file is read as
a stream with the same safe parser settings as the schema check, one subject in memory at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.values import from_odm

ValueKey = tuple[str, str, str, str, int, str]  # subject, visit, form, timepoint, repeat, item
FormKey = tuple[str, str, str, str, int]  # subject, visit, form, timepoint, repeat
Current = tuple[str | None, str | None]  # (value, missing code)
_NS = f"{{{k.ODM_NS}}}"
_SETTING = frozenset({"Insert", "Update", "Upsert", None})  # None: a Snapshot file, no transaction types


@dataclass
class FormState:
    status: str | None = None
    removed: bool = False
    removal_reason: str | None = None


def read_clinical_values(source: Path | BinaryIO) -> dict[ValueKey, Current]:
    """The current value and missing code of every item in the file (removed log entries left out)."""
    replay = _Replay()
    replay.run(source)
    return {(*form, item): current for form, items in replay.values.items() if not replay.forms[form].removed
            for item, current in items.items()}


def read_form_states(source: Path | BinaryIO) -> dict[FormKey, FormState]:
    """Every form instance's last FORM_STATUS flag, and whether (and why) it was removed."""
    replay = _Replay()
    replay.run(source)
    return replay.forms


class _Replay:
    def __init__(self) -> None:
        self.data_types: dict[str, str] = {}
        self.values: dict[FormKey, dict[str, Current]] = {}
        self.forms: dict[FormKey, FormState] = {}
        self._where: dict[str, str] = {}
        self._types: list[str | None] = []  # effective TransactionType of the open clinical elements

    def run(self, source: Path | BinaryIO) -> None:
        parse = etree.iterparse(str(source) if isinstance(source, Path) else source, events=("start", "end"),
                                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        for event, node in parse:
            tag = node.tag[len(_NS):] if isinstance(node.tag, str) and node.tag.startswith(_NS) else None
            if tag is None:
                continue
            if event == "start":
                self._start(tag, node)
            else:
                self._end(tag, node)

    def _start(self, tag: str, node: etree._Element) -> None:
        if tag not in ("SubjectData", "StudyEventData", "FormData", "ItemGroupData", "ItemData"):
            return
        inherited = self._types[-1] if self._types else None
        self._types.append(node.get("TransactionType") or inherited)
        if tag == "SubjectData":
            self._where = {"subject": node.get("SubjectKey", "")}
        elif tag == "StudyEventData":
            self._where["visit"] = k.visit_of(node.get("StudyEventOID", ""))
        elif tag == "FormData":
            self._where["form"] = k.form_of(node.get("FormOID", ""))
            self._where["repeat_key"] = node.get("FormRepeatKey", "")

    def _end(self, tag: str, node: etree._Element) -> None:
        if tag == "ItemDef":
            self.data_types[node.get("OID", "")] = node.get("DataType", "")
            return
        if tag not in ("SubjectData", "StudyEventData", "FormData", "ItemGroupData", "ItemData"):
            return
        kind = self._types.pop()
        if tag == "ItemData":
            self._item(node, kind)
        elif tag == "FormData":
            self._form(node, kind)
        elif kind == "Remove":
            self._remove_all(tag)
        if tag == "SubjectData":
            node.clear()  # the subject is replayed: keep memory flat
            parent = node.getparent()
            while parent is not None and node.getprevious() is not None:
                del parent[0]

    def _form_key(self) -> FormKey:
        timepoint, repeat = k.timepoint_repeat(self._where.get("repeat_key"))
        return self._where["subject"], self._where["visit"], self._where["form"], timepoint, repeat

    def _item(self, node: etree._Element, kind: str | None) -> None:
        key = self._form_key()
        item_oid = node.get("ItemOID", "")
        item = k.item_of(item_oid, self._where["form"])
        items = self.values.setdefault(key, {})
        self.forms.setdefault(key, FormState())
        if kind == "Remove":
            items.pop(item, None)
        elif kind in _SETTING:
            raw = node.get("Value")
            value = None if raw is None or node.get("IsNull") == "Yes" else from_odm(self.data_types.get(item_oid), raw)
            items[item] = (value, _flag(node, "MISSING"))

    def _form(self, node: etree._Element, kind: str | None) -> None:
        key = self._form_key()
        state = self.forms.setdefault(key, FormState())
        self.values.setdefault(key, {})
        status = _flag(node, "FORM_STATUS")
        if status is not None:
            state.status = status
        if kind == "Remove":
            state.removed = True
            state.removal_reason = node.findtext(f"{_NS}AuditRecord/{_NS}ReasonForChange")
        elif kind in ("Insert", "Upsert"):
            state.removed = False

    def _remove_all(self, tag: str) -> None:
        """A removed subject or event takes its forms with it."""
        for key, state in self.forms.items():
            if key[0] == self._where["subject"] and (tag == "SubjectData" or key[1] == self._where.get("visit")):
                state.removed = True


def _flag(node: etree._Element, flag_type: str) -> str | None:
    """The value of the element's own annotation flag of this type, if any."""
    for flag in node.iterfind(f"{_NS}Annotation/{_NS}Flag"):
        if flag.findtext(f"{_NS}FlagType") == flag_type:
            return flag.findtext(f"{_NS}FlagValue")
    return None
