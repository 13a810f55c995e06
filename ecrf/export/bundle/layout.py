"""Where each file sits inside a bundle, and the format version (docs/bundle-format.md)."""
from __future__ import annotations

import re

FORMAT_VERSION = "1.2"  # 1.1: monitoring records; 1.2: CSV byte-order mark (docs/bundle-format.md, Format versions)

MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.sig"
MANIFEST_SIGNER = "manifest.signer.json"  # the exporting user's personal signature over the manifest
TRAIL = "audit/trail.jsonl"  # every event exactly as chained (the CSV is for reading; this is for checking)
SEALS = "audit/seals.jsonl"
KEY_CERTIFICATES = "audit/key_certificates.jsonl"
ODM = "odm.xml"
CSV_DIR = "csv"
ITEMS_LONG = "csv/items_long.csv"
SUBJECTS = "csv/subjects.csv"
VISITS = "csv/visits.csv"
QUERIES = "csv/queries.csv"
QUERY_MESSAGES = "csv/query_messages.csv"  # the queries' threads, one row per message
SDV = "csv/sdv.csv"
SIGNATURES = "csv/signatures.csv"
LOCKS = "csv/locks.csv"
AUDIT_TRAIL = "csv/audit_trail.csv"
DICT_ITEMS = "csv/dictionary_items.csv"
DICT_CODELISTS = "csv/dictionary_codelists.csv"
DICT_CHECKS = "csv/dictionary_checks.csv"
PDF_DIR = "pdf"
BLANK_CRF = "pdf/blank_crf.pdf"


def form_csv(form_code: str) -> str:
    """The wide file of one form: one row per subject/visit/timepoint/repeat, columns by CDASH name."""
    return f"csv/forms/{safe_name(form_code)}.csv"


def casebook_pdf(subject_label: str) -> str:
    return f"pdf/casebooks/{safe_name(subject_label)}.pdf"


def safe_name(text: str) -> str:
    """A file name part from a code or subject label: letters, digits, '-', '_' and '.' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "_"
