"""Electronic signatures (to be built): ceremonies with the signer's personal key over the covered data."""
from __future__ import annotations

from collections.abc import Collection

from ecrf.services.session import Tx
from ecrf.store.models import FormInstance, Subject


def data_changed(tx: Tx, subject: Subject, instance: FormInstance, changed: Collection[str],
                 reason: str | None) -> None:
    """Valid signatures that cover `instance` become broken (with an audit event each)."""
