"""Error messages of the sponsor side: query bundle (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
QUERY_BUNDLE_MESSAGES: dict[str, Message] = {
}
