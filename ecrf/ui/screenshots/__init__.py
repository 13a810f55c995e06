"""`python -m ecrf.ui.screenshots OUTDIR [--lang en|zh_CN|both|pseudo] [--db DEMO_DB]`: PNGs of the real screens.

With `--guide` it makes the user guide's screenshots instead, at 1366×768, into `resources/guide/<lang>/images/`
(or OUTDIR/<lang>/images/): see `guide_shots`.

Makes a demo site in a temporary folder (or uses a copy of one given with --db), then renders every
screen at 1280×800 in each language: start, create-site, login, subject matrix, subject view tabs, form
editors (one with a hard finding), lock cover, administration tabs, change password. Windows and dialogs
smaller than the screen are drawn centred on a backdrop, dialogs over their dimmed parent.

A screen whose module is not written yet is skipped with a note; the exit code is 1 only when a screen
that exists fails to render. Message boxes are replaced by notes on stdout so nothing waits for a click.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ecrf.ui.screenshots.guide_shots import GuideShooter, guide_screens
from ecrf.ui.screenshots.pseudo import install_pseudo_translator, pseudo
from ecrf.ui.screenshots.render import SIZE, Demo, Shooter
from ecrf.ui.screenshots.screens import all_screens

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

__all__ = ["SIZE", "main", "pseudo"]


def shoot_language(demo: Demo, out: Path, lang: str, guide: bool = False) -> Shooter:
    from PySide6.QtCore import QCoreApplication

    from ecrf.ui.i18n import install_language

    install_language("en" if lang == "pseudo" else lang)
    pseudo_tr = install_pseudo_translator() if lang == "pseudo" else None
    shooter = GuideShooter(out, lang) if guide else Shooter(out, lang)
    try:
        (guide_screens if guide else all_screens)(shooter, demo)
    finally:
        if pseudo_tr is not None:
            QCoreApplication.removeTranslator(pseudo_tr)
    return shooter


def _quiet_qt(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if "propagateSizeHints" not in message:  # the offscreen platform says so for every window
        print(f"qt: {message}", file=sys.stderr)


def quiet_dialogs() -> None:
    """Message boxes would wait for a click: print them instead; leaving a form discards its entries."""
    from ecrf.ui import dialogs

    def note(kind: str) -> Callable[..., None]:
        return lambda parent, title, text, *rest: print(f"note    {kind}: {title}: {text}")

    dialogs.show_error = note("error")
    dialogs.show_info = note("info")
    dialogs.ask_yes_no = lambda *a: True
    dialogs.ask_save_discard = lambda *a: "discard"
    dialogs.ask_text = lambda *a, **k: None
    dialogs.ask_reason = lambda *a, **k: None


def make_demo(folder: Path) -> Demo:
    from ecrf.demo import create_demo
    from ecrf.paths import default_forms_dir
    from ecrf.study.loader import load_study

    study = load_study(default_forms_dir())
    print("making the demo site (less than half a minute)…")
    return Demo(create_demo(folder / "demo" / "site.db", study).db_path, study)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecrf.ui.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, nargs="?",
                        help="where the PNGs go (with --guide: default resources/guide of this installation)")
    parser.add_argument("--guide", action="store_true",
                        help="make the user guide's screenshots (1366×768, scaled, 8-bit PNG) in both languages")
    parser.add_argument("--lang", choices=("en", "zh_CN", "both", "pseudo"), default="both",
                        help="pseudo: stretched, accented English to find layouts that break with longer text")
    parser.add_argument("--db", type=Path, help="an existing demo site to use (it is changed: use a copy)")
    args = parser.parse_args(argv)
    if args.guide and args.lang == "pseudo":
        parser.error("the guide has no pseudo-translated version: use --lang en, zh_CN or both")
    if args.outdir is None:
        if not args.guide:
            parser.error("give the folder for the screenshots (OUTDIR)")
        from ecrf.paths import resource_path

        args.outdir = resource_path("guide")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The demo lives in a throw-away folder: the quick key derivation spares ~10 s of Argon2id.
    os.environ.setdefault("ECRF_KDF_PROFILE", "fast")
    from PySide6.QtCore import qInstallMessageHandler

    from ecrf.ui.app import create_app

    previous = qInstallMessageHandler(_quiet_qt)

    create_app(sys.argv[:1])
    quiet_dialogs()
    args.outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ecrf-screenshots-") as tmp:
        if args.db is not None:
            from ecrf.paths import default_forms_dir
            from ecrf.study.loader import load_study

            demo = Demo(args.db, load_study(default_forms_dir()))
        else:
            demo = make_demo(Path(tmp))
        languages = ["en", "zh_CN"] if args.lang == "both" else [args.lang]
        results = [shoot_language(demo, args.outdir, lang, args.guide) for lang in languages]
    from ecrf.ui.i18n import install_language

    install_language("en")
    qInstallMessageHandler(previous)
    made = sum(len(r.made) for r in results)
    failed = [f for r in results for f in r.failed]
    skipped = [f for r in results for f in r.skipped]
    print(f"{made} screenshots in {args.outdir}; skipped {len(skipped)}; failed {len(failed)}: {', '.join(failed)}")
    return 1 if failed else 0

