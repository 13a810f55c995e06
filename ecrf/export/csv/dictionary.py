"""The data dictionary of a bundle: what every item, code and edit check of the study definition means.

Three files, in definition order, made from the study alone, so two exports of the same definition give
the same bytes: `dictionary_items.csv`, `dictionary_codelists.csv`, `dictionary_checks.csv`.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ecrf.export.bundle import layout
from ecrf.export.csv.safe import Cell, write_csv
from ecrf.export.csv.wide import item_columns
from ecrf.study.form_loader import YES_NO
from ecrf.study.model import Codelist, Item, ItemType, Range, Study, Text, format_bound

if TYPE_CHECKING:
    from ecrf.study.expr import Expression


def item_header(languages: Sequence[str]) -> tuple[str, ...]:
    return ("form", "order", "item", "cdash", "sdtm", "testcd", "wide_column", "type", "calculated", "precision",
            "max_length", *(f"unit_{lang}" for lang in languages), *(f"label_{lang}" for lang in languages),
            "required", "missing_codes", "hard_low", "hard_high", "soft_low", "soft_high", "codelist", "show_if",
            "derive")


def codelist_header(languages: Sequence[str]) -> tuple[str, ...]:
    return ("codelist", "data_type", "code", *(f"label_{lang}" for lang in languages))


def check_header(languages: Sequence[str]) -> tuple[str, ...]:
    return ("form", "check", "severity", "items", "expression", "when", *(f"message_{lang}" for lang in languages))


def write_dictionary(study: Study, staging: Path) -> None:
    languages = study.info.languages
    write_csv(staging / layout.DICT_ITEMS, item_header(languages), item_rows(study))
    write_csv(staging / layout.DICT_CODELISTS, codelist_header(languages), codelist_rows(study))
    write_csv(staging / layout.DICT_CHECKS, check_header(languages), check_rows(study))


def item_rows(study: Study) -> Iterator[Sequence[Cell]]:
    languages = study.info.languages
    for form in study.forms.values():
        columns = item_columns(form)
        for order, item in enumerate(form.items, start=1):
            yield (form.code, order, item.code, item.cdash, item.sdtm, item.testcd, columns[item.code],
                   item.value_type.value, item.is_calculated, item.precision,
                   item.max_length if item.value_type is ItemType.TEXT else None,
                   *_in_languages(item.unit, languages), *_in_languages(item.label, languages),
                   item.required, ";".join(item.missing), *_bounds(item.hard), *_bounds(item.soft),
                   _name(codelist_of(item)), _source(item.show_if), _source(item.derive))


def codelist_of(item: Item) -> Codelist | None:
    """The codes an item's value is drawn from; a calculated yes/no item uses the built-in NY list too."""
    if item.codelist is None and item.value_type is ItemType.YES_NO:
        return YES_NO
    return item.codelist


def all_codelists(study: Study) -> list[Codelist]:
    """The study's codelists, then built-in ones its items use (yes/no, NY), in definition order."""
    found = {codelist.name: codelist for codelist in study.codelists.values()}
    for form in study.forms.values():
        for item in form.items:
            codelist = codelist_of(item)
            if codelist is not None:
                found.setdefault(codelist.name, codelist)
    return list(found.values())


def codelist_rows(study: Study) -> Iterator[Sequence[Cell]]:
    languages = study.info.languages
    for codelist in all_codelists(study):
        for entry in codelist.items:
            yield (codelist.name, codelist.data_type, str(entry.code), *_in_languages(entry.label, languages))


def check_rows(study: Study) -> Iterator[Sequence[Cell]]:
    languages = study.info.languages
    for form in study.forms.values():
        for check in form.checks:
            yield (form.code, check.id, check.severity, ";".join(check.items), _source(check.expr),
                   _source(check.when), *_in_languages(check.message, languages))


def _name(codelist: Codelist | None) -> str | None:
    return codelist.name if codelist else None


def _in_languages(text: Text | None, languages: Sequence[str]) -> list[str | None]:
    return [text.get(lang) if text else None for lang in languages]


def _bounds(limits: Range | None) -> tuple[str | None, str | None]:
    if limits is None:
        return None, None
    return format_bound(limits.low) or None, format_bound(limits.high) or None


def _source(expr: Expression | None) -> str | None:
    """The expression as written in the definition (the Expression keeps its source text)."""
    return expr.text if expr is not None else None
