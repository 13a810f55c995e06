"""Error messages of the sponsor side: outputs (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
OUTPUT_MESSAGES: dict[str, Message] = {
}
