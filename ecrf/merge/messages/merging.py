"""Error messages of the sponsor side: merging (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
MERGING_MESSAGES: dict[str, Message] = {
}
