"""The category of the merged data set's refusals (codes in ecrf/merge/messages/outputs.py)."""
from __future__ import annotations

from ecrf.merge.errors import MergeError


class MergedOutputError(MergeError):
    """The merged data set cannot be written from this central database; nothing was left half-written."""
