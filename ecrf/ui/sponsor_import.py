"""*Data › Import sponsor queries…*: the site administrator picks a query bundle from the sponsor and is told
what it brought (new queries, queries the sponsor closed) or why it was refused. The service checks everything
(signature, sponsor certificate, study, site, installation, sequence); this only asks and tells."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ecrf.services.session import SiteSession
from ecrf.services.sponsor_queries import ImportResult, import_query_bundle
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_open_file


def ask_query_bundle(parent: QWidget) -> Path | None:
    """Which query bundle to import; None when cancelled (tests replace this function)."""
    return ask_open_file(
        parent, "import", QCoreApplication.translate("SponsorImport", "Choose the sponsor's query bundle"),
        QCoreApplication.translate("SponsorImport", "ecrf query bundle (*.zip);;All files (*)"))


def import_sponsor_queries(parent: QWidget, session: SiteSession) -> ImportResult | None:
    """Ask for the file, import it, and say what happened; the result, or None when cancelled or refused."""
    path = ask_query_bundle(parent)
    if path is None:
        return None
    title = QCoreApplication.translate("SponsorImport", "Import sponsor queries")
    try:
        result = import_query_bundle(session, path)
    except Exception as exc:  # noqa: BLE001 - every refusal is shown; a bug goes to the crash log via error_text
        dialogs.show_error(parent, title, dialogs.error_text(exc))
        return None
    dialogs.show_info(parent, title, result_text(result))
    return result


def result_text(result: ImportResult) -> str:
    if result.already_imported:
        return QCoreApplication.translate(
            "SponsorImport", "Query bundle {0} was imported before; nothing changed.").format(result.sequence)
    text = QCoreApplication.translate(
        "SponsorImport", "Query bundle {0} from the sponsor {1} imported: {2} new queries, {3} closed by the "
                         "sponsor.").format(result.sequence, result.sponsor, len(result.raised), len(result.closed))
    if result.raised:
        text += "\n" + QCoreApplication.translate("SponsorImport", "New in the query inbox: {0}.").format(
            ", ".join(result.raised))
    if result.not_yet_answered:
        text += "\n" + QCoreApplication.translate(
            "SponsorImport", "Closed by the sponsor but not answered here yet, so left open: {0}.").format(
            ", ".join(result.not_yet_answered))
    return text
