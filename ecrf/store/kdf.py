"""Argon2id for the key slots: the parameters stored with each slot, and their calibration on this PC.

A slot's private key is sealed under the key `KdfParams.derive` makes from a password or the recovery code.
The parameters travel in the key file, so they are checked against caps on the way in: a tampered file must
not make unlock eat a gigabyte or a minute. `calibrate_kdf` picks parameters for new slots; the test suite's
fast profile and the demo's cheap, marked profile are decided here and nowhere else.
"""
from __future__ import annotations

import os
import secrets
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32  # every key a slot holds or derives: AES-256 keys, X25519 and Ed25519 keys
_MAX_TIME_COST = 20
PRODUCTION_MEMORY_KIB = 64 * 1024
# The demo site's users have public passwords (README, login screen): slots made inside `demo_profile()` get
# cheap parameters, marked in the file, so their logins, signatures and the demo itself stay fast.
DEMO_PROFILE = "demo"
_DEMO_MEMORY_KIB = 8 * 1024
_profile: ContextVar[str | None] = ContextVar("ecrf_kdf_profile", default=None)


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int
    salt: bytes
    profile: str | None = None  # DEMO_PROFILE for a demo user's slot (public password); None otherwise

    def __post_init__(self) -> None:
        # Argon2's own limits, plus caps so a tampered file cannot make unlock eat memory (1 GiB) or time.
        if not (1 <= self.time_cost <= _MAX_TIME_COST and 1 <= self.parallelism <= 16
                and 8 * self.parallelism <= self.memory_cost <= 1 << 20 and 8 <= len(self.salt) <= 64):
            raise ValueError("Argon2id parameters out of range")  # slot_file._parse_slot reports it as damaged
        if self.profile not in (None, DEMO_PROFILE):
            raise ValueError("unknown key derivation profile")

    def derive(self, secret: str) -> bytes:
        """The 32-byte key-encryption key. NFC first, so a password typed on another OS/keyboard matches."""
        data = unicodedata.normalize("NFC", secret).encode("utf-8")
        return hash_secret_raw(data, self.salt, time_cost=self.time_cost, memory_cost=self.memory_cost,
                               parallelism=self.parallelism, hash_len=KEY_BYTES, type=Type.ID)


def calibrate_kdf(target_seconds: float = 0.25) -> KdfParams:
    """Argon2id parameters with a new random 16-byte salt: 64 MiB, one lane, and a time_cost (1 to 20)
    measured on this PC so that one derivation takes about `target_seconds`.

    If the environment variable ECRF_KDF_PROFILE is "fast" (for the test suite and crash tests only)
    this returns minimal, *weak* parameters (t=1, 8 MiB, one lane) without measuring anything. Such a slot
    is strengthened at its owner's next login without that variable (`ecrf.services.auth.login`).

    Inside `demo_profile()` (the demo site's users only) it returns the same cheap parameters marked
    DEMO_PROFILE, which are never strengthened: their passwords are public, so hardening protects nothing.
    """
    salt = secrets.token_bytes(16)
    if _profile.get() == DEMO_PROFILE:
        return KdfParams(time_cost=1, memory_cost=_DEMO_MEMORY_KIB, parallelism=1, salt=salt, profile=DEMO_PROFILE)
    if os.environ.get("ECRF_KDF_PROFILE") == "fast":
        return KdfParams(time_cost=1, memory_cost=8192, parallelism=1, salt=salt)
    probe = KdfParams(time_cost=1, memory_cost=PRODUCTION_MEMORY_KIB, parallelism=1, salt=salt)
    # A derivation costs a fixed part (allocating and filling the memory) plus a part per pass, so one
    # t=1 probe overestimates the pass and undershoots the target; two probes separate the two.
    one, three = _timed(probe), _timed(replace(probe, time_cost=3))
    per_pass = max((three - one) / 2, 1e-4)
    fixed = max(one - per_pass, 0.0)
    passes = round((target_seconds - fixed) / per_pass)
    return replace(probe, time_cost=min(_MAX_TIME_COST, max(1, passes)))


@contextmanager
def demo_profile() -> Iterator[None]:
    """Key slots made in this block (in this thread) get the demo profile: for the demo site's users only,
    whose passwords are printed in the README. `ecrf init` and the create-site dialog never enter it."""
    token = _profile.set(DEMO_PROFILE)
    try:
        yield
    finally:
        _profile.reset(token)


def _timed(params: KdfParams) -> float:
    start = time.perf_counter()
    params.derive("calibration")
    return time.perf_counter() - start

