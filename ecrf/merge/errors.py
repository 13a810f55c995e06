"""The sponsor side's errors: one category per kind of refusal, one catalogue per part (merged here).

Every message says what is wrong and what to do, in English and Chinese, like the rest of the family
(`ecrf.errors`). A refused *bundle* is not an error of the run: the merge records it with its reason and goes
on with the next one; these categories are for what stops a command (a registry that cannot be read, a central
database that cannot be reached, a query bundle for another site).
"""
from __future__ import annotations

from ecrf.errors import Bug, EcrfError, Message, register


class MergeError(EcrfError):
    """A sponsor-side command could not do what was asked; nothing was half-written."""


class TrustRegistryError(MergeError):
    """The trust registry file is missing, damaged, or an entry cannot be added or removed."""


class CentralDatabaseError(MergeError):
    """The central database cannot be reached, created or read (nothing was merged)."""


class QueryBundleError(MergeError):
    """A query bundle cannot be written, or a site refuses to import one."""


class ReportError(MergeError):
    """The merge report cannot be made or written (no report file was changed)."""


def _catalogue() -> dict[str, Message]:
    """The parts' catalogues, one family: a code may be defined once only."""
    from ecrf.merge.messages.central import CENTRAL_MESSAGES
    from ecrf.merge.messages.merging import MERGING_MESSAGES
    from ecrf.merge.messages.outputs import OUTPUT_MESSAGES
    from ecrf.merge.messages.query_bundle import QUERY_BUNDLE_MESSAGES
    from ecrf.merge.messages.report import REPORT_MESSAGES
    from ecrf.merge.messages.trust import TRUST_MESSAGES

    merged: dict[str, Message] = {}
    for part in (CENTRAL_MESSAGES, MERGING_MESSAGES, OUTPUT_MESSAGES, QUERY_BUNDLE_MESSAGES, REPORT_MESSAGES,
                 TRUST_MESSAGES):
        clash = merged.keys() & part.keys()
        if clash:
            raise Bug(f"error codes defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


MERGE_MESSAGES = _catalogue()
register("merge", MERGE_MESSAGES)
