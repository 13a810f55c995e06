"""The recovery code: the secret printed once when a site is made, that opens it without any user's password.

It has a key slot of its own (`RECOVERY_SLOT`, also the user name to give with it) next to the users'
slots. It is typed back from paper, so it is made of characters that survive that (Crockford base32) and is
read loosely.
"""
from __future__ import annotations

import secrets

RECOVERY_SLOT = "recovery"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_recovery_code() -> str:
    """25 Crockford base32 characters (125 bits), shown as five groups of five joined by '-'."""
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(25))
    return "-".join(chars[i:i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(text: str) -> str:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1: people copy codes off paper loosely."""
    return "".join(text.split()).replace("-", "").upper().translate(str.maketrans("OIL", "011"))
