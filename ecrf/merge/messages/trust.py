"""Error messages of the sponsor side: trust (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
TRUST_MESSAGES: dict[str, Message] = {
}
