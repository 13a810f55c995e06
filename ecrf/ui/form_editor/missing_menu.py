"""The item menu ("Item ▾" button beside each field, Ctrl+M): mark the item not done / unknown / not applicable as the
definition allows, take the mark off, clear a picked answer, and open the item's history."""
from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ecrf.study.model import Item, Text

# Action data: (what, missing code) — what is "missing", "unmark", "clear", "history" or "query".
MenuChoice = tuple[str, str]
translate = QCoreApplication.translate


def item_menu(parent: QWidget, item: Item, codes: Mapping[str, Text], lang: str, *, current: str | None,
              editable: bool, has_history: bool, can_query: bool = False) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName(f"menu_{item.code}")
    if editable and not item.is_calculated:
        for code in item.missing:
            label = codes[code].get(lang) if code in codes else code
            action = _add(menu, translate("ItemMenu", "{0} – {1}").format(code, label), ("missing", code))
            action.setCheckable(True)
            action.setChecked(current == code)
        if current is not None:
            _add(menu, translate("ItemMenu", "Remove the missing mark"), ("unmark", ""))
        _add(menu, translate("ItemMenu", "Clear the answer"), ("clear", ""))
        menu.addSeparator()
    history = _add(menu, translate("ItemMenu", "History of this item…"), ("history", ""))
    history.setEnabled(has_history)
    if can_query:
        _add(menu, translate("ItemMenu", "Raise query…"), ("query", ""))
    return menu


def _add(menu: QMenu, text: str, data: MenuChoice) -> QAction:
    action = menu.addAction(text)
    action.setData(data)
    action.setObjectName(f"{data[0]}_{data[1]}" if data[1] else data[0])
    return action


def choice_of(action: QAction | None) -> MenuChoice | None:
    return tuple(action.data()) if action is not None and action.data() else None
