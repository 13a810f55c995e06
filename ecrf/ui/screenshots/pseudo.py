"""Pseudo-localisation (vorta's TRANS_SCALE idea): every string accented and ~40 % longer, so layouts that
cannot take longer translated text show up in the screenshots."""
from __future__ import annotations

import re


def _qapp():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance()


_KEEP = re.compile(r"(\{\d*\}|<[^>]*>|&[a-z]+;|&&|&|\n)")
_ACCENTED = str.maketrans("aceinorsuyACEINORSUY", "åçéîñøŕšûýÅÇÉÎÑØŔŠÛÝ")


def pseudo(text: str) -> str:
    """vorta's TRANS_SCALE idea: accented and ~40 % longer, placeholders and tags kept, so layouts that
    cannot take longer (translated) text show up in the screenshots."""
    parts = _KEEP.split(text)
    out = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    return f"[{out}{'~' * max(1, len(text) * 2 // 5)}]"


def install_pseudo_translator():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTranslator

    class Pseudo(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def]
            return pseudo(source) if source else source

        def isEmpty(self) -> bool:
            return False

    translator = Pseudo(_qapp())
    _qapp().installTranslator(translator)
    return translator
