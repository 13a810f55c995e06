"""The Chinese translation is complete and compiled: every string lupdate finds in ecrf/ui has Chinese,
the committed .qm is what lrelease makes of the committed .ts, and the app shows Chinese (ours and Qt's)."""
from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

REPO = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("translations_tool", REPO / "scripts" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The committed .ts updated from today's code, in a temporary copy."""
    ts = tmp_path_factory.mktemp("ts") / tool.TS_FILE.name
    shutil.copy(tool.TS_FILE, ts)
    tool.update(ts)
    return ts


def _listing(messages) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"  [{m.context}] {m.source!r}" for m in messages)


def test_every_string_has_chinese(fresh_ts: Path) -> None:
    missing = tool.untranslated(fresh_ts)
    assert not missing, (f"{len(missing)} strings of ecrf/ui have no Chinese translation; run "
                         f"`python scripts/translations.py update`, translate them in {tool.TS_FILE.name}, "
                         f"then `release`:\n{_listing(missing)}")


def test_committed_ts_is_up_to_date(fresh_ts: Path) -> None:
    """Strings translated but not yet merged (or dropped) mean `update` was not run before committing."""
    committed = {(m.context, m.source) for m in tool.messages(tool.TS_FILE)}
    current = {(m.context, m.source) for m in tool.messages(fresh_ts)}
    assert committed == current, (f"run `python scripts/translations.py update` and `release`; new: "
                                  f"{sorted(current - committed)}, gone: {sorted(committed - current)}")


def test_every_string_has_a_context(fresh_ts: Path) -> None:
    """A string lupdate files under no class (a module-level `tr()` helper) is never found at run time,
    where QCoreApplication.translate looks it up under the helper's own context."""
    loose = [m for m in tool.messages(fresh_ts) if not m.context]
    assert not loose, ("these strings are translated with a bare tr() outside a class, so lupdate files them "
                       "under an empty context; use QCoreApplication.translate('<Context>', '...') literally:\n"
                       + _listing(loose))


_PLACEHOLDER = re.compile(r"\{\d*\}")
_TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")


def test_translations_keep_placeholders_and_tags() -> None:
    wrong = [m for m in tool.messages(tool.TS_FILE) if m.finished and (
        sorted(_PLACEHOLDER.findall(m.source)) != sorted(_PLACEHOLDER.findall(m.translation))
        or sorted(_TAG.findall(m.source)) != sorted(_TAG.findall(m.translation)))]
    assert not wrong, "translations that lost or added a {0} placeholder or an HTML tag:\n" + "\n".join(
        f"  [{m.context}] {m.source!r} -> {m.translation!r}" for m in wrong)


def test_committed_qm_is_the_released_ts(tmp_path: Path) -> None:
    qm = tmp_path / "out.qm"
    tool.release(tool.TS_FILE, qm)
    assert tool.QM_FILE.exists(), "resources/translations/ecrf_zh_CN.qm is missing; run `translations.py release`"
    assert qm.read_bytes() == tool.QM_FILE.read_bytes(), \
        "the .qm is stale; run `python scripts/translations.py release`"


def test_app_in_chinese_translates_ours_and_qts() -> None:
    from ecrf.ui.i18n import install_language

    assert install_language("zh_CN"), "ecrf_zh_CN.qm was not found by ecrf.ui.i18n"
    assert QCoreApplication.translate("MainWindow", "Subjects") == "受试者"
    assert QCoreApplication.translate("LoginWindow", "Log in") == "登录"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # qtbase_zh_CN.qm
    install_language("en")
    assert QCoreApplication.translate("MainWindow", "Subjects") == "Subjects"


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _unextractable(path: Path) -> list[str]:
    """tr()/translate() calls lupdate cannot read: a non-literal text (unless the module marks its texts
    with QT_TRANSLATE_NOOP / QT_TR_NOOP), or a call inside an f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    marks = any(_name(c) in ("QT_TRANSLATE_NOOP", "QT_TR_NOOP") for c in calls)
    in_fstrings = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for n in ast.walk(f)}
    where = path.relative_to(REPO)
    found = []
    for call in calls:
        name = _name(call)
        # translate(context, text): str.translate(table) has one argument and is no concern here
        texts = call.args[:1] if name == "tr" else call.args[:2] if name == "translate" and len(call.args) > 1 else []
        if not texts:
            continue
        if id(call) in in_fstrings:
            found.append(f"  {where}:{call.lineno}: {name}() inside an f-string")
        elif not all(_literal(t) for t in texts) and not marks:
            found.append(f"  {where}:{call.lineno}: {name}() of a text that is not a string literal")
    return found


def test_lupdate_can_read_every_translated_text() -> None:
    found = [line for path in tool.sources() for line in _unextractable(path)]
    assert not found, ("lupdate cannot extract these texts, so they are never translated; write the literal "
                       "in the call, or mark the texts with QT_TRANSLATE_NOOP('<Context>', '...'):\n"
                       + "\n".join(found))
