"""Source data verification (to be built): per item, rolled up to form, visit, subject and site."""
from __future__ import annotations

from collections.abc import Collection

from ecrf.services.session import Tx
from ecrf.store.models import FormInstance, Subject


def values_changed(tx: Tx, subject: Subject, instance: FormInstance, changed: Collection[str]) -> None:
    """Verified items among `changed` become "changed since verified" (with an audit event)."""
