"""Queries and their threads (to be built), manual and automatic."""
from __future__ import annotations

from collections.abc import Collection

from ecrf.services.session import Tx
from ecrf.store.models import FormInstance, Subject
from ecrf.study.model import Study
from ecrf.study.validate import FormCheck


def form_saved(tx: Tx, study: Study, subject: Subject, instance: FormInstance, changed: Collection[str],
               check: FormCheck | None) -> None:
    """Automatic queries of this form: raise for newly confirmed warnings, close those a new value cleared,
    re-open answered ones whose check still fails."""
