"""`csv/items_long.csv`: one row per stored item value of every form instance, with the item's meaning beside it.

The long file is the complete record: removed log entries stay (flagged, with the reason), and values of
items the current definition no longer has keep their row with empty definition columns.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from ecrf.export.csv.dictionary import codelist_of
from ecrf.export.csv.safe import Cell
from ecrf.export.records import FormRecord, SiteFacts, SubjectRecord, ValueRecord
from ecrf.study.model import Item, ItemType, Study

LONG_HEADER = ("study", "site", "subject", "screening_no", "visit", "form", "timepoint", "repeat", "form_status",
               "form_deleted", "deleted_reason", "item", "cdash", "sdtm", "testcd", "value", "missing", "unit",
               "decode", "saved_at", "saved_by", "definition_version")

DECODE_LANGUAGE = "en"  # decodes and units are for reading; every language is in the dictionary files


class LongRows:
    """Turns a subject's form instances into rows of the long file."""

    def __init__(self, study: Study, site: SiteFacts) -> None:
        self.study = study
        self.site = site

    def rows(self, subject: SubjectRecord) -> Iterator[Sequence[Cell]]:
        for instance in subject.forms:
            for value in instance.values:
                yield self.row(subject, instance, value)

    def row(self, subject: SubjectRecord, instance: FormRecord, value: ValueRecord) -> Sequence[Cell]:
        item = self._item(instance.form, value.item)
        return (self.site.study_oid, self.site.site_code, subject.label, subject.screening_no, instance.visit,
                instance.form, instance.timepoint, instance.repeat, instance.status, instance.deleted,
                instance.deleted_reason, value.item, item.cdash if item else None, item.sdtm if item else None,
                item.testcd if item else None, value.value, value.missing,
                item.unit.get(DECODE_LANGUAGE) if item and item.unit else None, self.decode(item, value),
                value.saved_at, value.saved_by, instance.definition_version)

    def decode(self, item: Item | None, value: ValueRecord) -> str | None:
        """The label of a missing code, or of the chosen code(s) of a choice item (';' between several)."""
        if value.missing:
            label = self.study.missing_codes.get(value.missing)
            return label.get(DECODE_LANGUAGE) if label else None
        codelist = codelist_of(item) if item else None
        if item is None or codelist is None or value.value is None:
            return None
        labels = {str(entry.code): entry.label.get(DECODE_LANGUAGE) for entry in codelist.items}
        codes = value.value.split(";") if item.value_type is ItemType.MULTI_CHOICE else [value.value]
        # A code the codelist no longer knows decodes to nothing rather than to a guess.
        return ";".join(labels.get(code, "") for code in codes)

    def _item(self, form_code: str, item_code: str) -> Item | None:
        form = self.study.forms.get(form_code)
        return form.item(item_code) if form and form.has_item(item_code) else None
