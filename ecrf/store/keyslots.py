"""Key slots: the side file (`site.keys`) that holds the SQLCipher data key, wrapped once per user.

Each slot has an X25519 key pair. Its private key is sealed (AES-256-GCM) under a key derived from the
user's password or the recovery code with Argon2id; the data key is sealed *to* its public key (ECIES).
So `rewrapped` can give every slot a new data key without anyone's password, and a password change
re-seals one private key only. Every seal binds db_id, slot id and purpose (and, for the data key, the
generation) as associated data, so a slot moved to another id, database or generation does not open.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ecrf.errors import Bug
from ecrf.store.errors import StoreError
from ecrf.store.files import write_atomic

RECOVERY_SLOT = "recovery"
FORMAT, VERSION = "ecrf-keyslots", 1
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_KEY, _NONCE, _SEALED = 32, 12, 48  # sealed = a 32-byte key plus the 16-byte GCM tag
_MAX_TIME_COST = 20


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int
    salt: bytes

    def __post_init__(self) -> None:
        # Argon2's own limits, plus caps so a tampered file cannot make unlock eat memory (1 GiB) or time.
        if not (1 <= self.time_cost <= _MAX_TIME_COST and 1 <= self.parallelism <= 16
                and 8 * self.parallelism <= self.memory_cost <= 1 << 20 and 8 <= len(self.salt) <= 64):
            raise ValueError("Argon2id parameters out of range")  # _parse_slot reports it as a damaged file

    def derive(self, secret: str) -> bytes:
        """The 32-byte key-encryption key. NFC first, so a password typed on another OS/keyboard matches."""
        data = unicodedata.normalize("NFC", secret).encode("utf-8")
        return hash_secret_raw(data, self.salt, time_cost=self.time_cost, memory_cost=self.memory_cost,
                               parallelism=self.parallelism, hash_len=_KEY, type=Type.ID)


def calibrate_kdf(target_seconds: float = 0.25) -> KdfParams:
    """Argon2id parameters with a new random 16-byte salt: 64 MiB, one lane, and a time_cost (1 to 20)
    measured on this PC so that one derivation takes about `target_seconds`.

    If the environment variable ECRF_KDF_PROFILE is "fast" (for the test suite and crash tests only)
    this returns minimal, *weak* parameters (t=1, 8 MiB, one lane) without measuring anything.
    """
    salt = secrets.token_bytes(16)
    if os.environ.get("ECRF_KDF_PROFILE") == "fast":
        return KdfParams(time_cost=1, memory_cost=8192, parallelism=1, salt=salt)
    probe = KdfParams(time_cost=1, memory_cost=64 * 1024, parallelism=1, salt=salt)
    # A derivation costs a fixed part (allocating and filling the memory) plus a part per pass, so one
    # t=1 probe overestimates the pass and undershoots the target; two probes separate the two.
    one, three = _timed(probe), _timed(replace(probe, time_cost=3))
    per_pass = max((three - one) / 2, 1e-4)
    fixed = max(one - per_pass, 0.0)
    passes = round((target_seconds - fixed) / per_pass)
    return replace(probe, time_cost=min(_MAX_TIME_COST, max(1, passes)))


def _timed(params: KdfParams) -> float:
    start = time.perf_counter()
    params.derive("calibration")
    return time.perf_counter() - start


def new_data_key() -> bytes:
    return secrets.token_bytes(_KEY)


def new_recovery_code() -> str:
    """25 Crockford base32 characters (125 bits), shown as five groups of five joined by '-'."""
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(25))
    return "-".join(chars[i:i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(text: str) -> str:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1: people copy codes off paper loosely."""
    return "".join(text.split()).replace("-", "").upper().translate(str.maketrans("OIL", "011"))


class KeySlotError(StoreError):
    """A problem with the key file (codes in ecrf.store.errors)."""


class SlotFileMissing(KeySlotError):
    """The side file is not there."""


class SlotFileCorrupt(KeySlotError):
    """The side file is malformed, or fails authentication where a wrong password can't be the cause."""


class WrongSecret(KeySlotError):
    """The password or recovery code does not open the slot."""


class NoSuchSlot(KeySlotError):
    """No slot has that id."""


class _Bad(Exception):
    """A structural problem found while parsing; `load` reports it as SlotFileCorrupt naming the path."""


@dataclass(frozen=True)
class _Slot:
    kdf: KdfParams
    public_key: bytes
    private: tuple[bytes, bytes]  # nonce, ciphertext
    data: tuple[bytes, bytes, bytes]  # ephemeral public key, nonce, ciphertext
    created: str


def _key_check(data_key: bytes) -> str:
    if len(data_key) != _KEY:
        raise Bug("a data key must be 32 bytes")
    return hmac.new(data_key, b"ecrf key check", hashlib.sha256).digest()[:16].hex()


def _aad(db_id: str, slot_id: str, purpose: str, generation: int | None = None) -> bytes:
    parts = [FORMAT, db_id, slot_id, purpose] + ([] if generation is None else [generation])
    return json.dumps(parts).encode()  # a JSON list stays unambiguous whatever characters the ids hold


def _ecies_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    # Salting with both public keys binds the wrapping key to this recipient and this ephemeral key.
    return HKDF(hashes.SHA256(), _KEY, salt=ephemeral + recipient, info=b"ecrf key slot v1").derive(shared)


def _seal_to(public_key: bytes, data_key: bytes, aad: bytes) -> tuple[bytes, bytes, bytes]:
    eph = X25519PrivateKey.generate()
    eph_pub, nonce = eph.public_key().public_bytes_raw(), secrets.token_bytes(_NONCE)
    key = _ecies_key(eph.exchange(X25519PublicKey.from_public_bytes(public_key)), eph_pub, public_key)
    return eph_pub, nonce, AESGCM(key).encrypt(nonce, data_key, aad)


def _get(obj: object, key: str, kind: type) -> Any:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Bad(f"field '{key}' is missing or has the wrong type")
    return value


def _raw(obj: object, key: str, size: int | None = None) -> bytes:
    try:
        value = base64.b64decode(_get(obj, key, str), validate=True)
    except binascii.Error:
        raise _Bad(f"field '{key}' is not valid base64") from None
    if size is not None and len(value) != size:
        raise _Bad(f"field '{key}' has the wrong length")
    return value


def _parse_slot(doc: object) -> _Slot:
    kdf, priv, data = _get(doc, "kdf", dict), _get(doc, "private_key", dict), _get(doc, "data_key", dict)
    if _get(kdf, "name", str) != "argon2id":
        raise _Bad("unknown key derivation function")
    try:  # KdfParams checks the ranges and the salt length
        params = KdfParams(_get(kdf, "time_cost", int), _get(kdf, "memory_cost", int),
                           _get(kdf, "parallelism", int), _raw(kdf, "salt"))
    except ValueError:
        raise _Bad("its key derivation parameters are out of range") from None
    return _Slot(params, _raw(doc, "public_key", _KEY),
                 (_raw(priv, "nonce", _NONCE), _raw(priv, "ciphertext", _SEALED)),
                 (_raw(data, "ephemeral", _KEY), _raw(data, "nonce", _NONCE), _raw(data, "ciphertext", _SEALED)),
                 _get(doc, "created", str))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _slot_json(s: _Slot) -> dict[str, object]:
    kdf = {"name": "argon2id", "time_cost": s.kdf.time_cost, "memory_cost": s.kdf.memory_cost,
           "parallelism": s.kdf.parallelism, "salt": _b64(s.kdf.salt)}
    return {"kdf": kdf, "public_key": _b64(s.public_key), "created": s.created,
            "private_key": dict(zip(("nonce", "ciphertext"), map(_b64, s.private), strict=True)),
            "data_key": dict(zip(("ephemeral", "nonce", "ciphertext"), map(_b64, s.data), strict=True))}


def _corrupt(path: Path | None, detail: str) -> SlotFileCorrupt:
    return SlotFileCorrupt("key-file-damaged", path=_named(path), detail=detail)


def _named(path: Path | None) -> str:
    """How messages name a key file that may not have been saved anywhere yet."""
    return str(path) if path else "(not saved yet)"


class KeySlots:
    def __init__(self, db_id: str, generation: int, key_check: str, slots: dict[str, _Slot] | None = None,
                 source: Path | None = None) -> None:
        self.db_id, self.generation, self.key_check = db_id, generation, key_check
        self._slots: dict[str, _Slot] = dict(slots or {})
        self._source = source  # the file it came from, named in error messages

    @classmethod
    def new(cls, db_id: str, data_key: bytes) -> KeySlots:
        if not db_id:
            raise Bug("a database id must not be empty")
        return cls(db_id, 1, _key_check(data_key))

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        path = Path(path)
        try:
            doc = json.loads(path.read_bytes().decode("utf-8"))
            if _get(doc, "format", str) != FORMAT or _get(doc, "version", int) != VERSION:
                raise _Bad("it is not an ecrf key file of a version this program reads")
            key_check, db_id = _get(doc, "key_check", str), _get(doc, "db_id", str)
            generation = _get(doc, "generation", int)
            if not re.fullmatch(r"[0-9a-f]{32}", key_check) or not db_id or generation < 1:
                raise _Bad("field 'key_check', 'db_id' or 'generation' is malformed")
            slots = {sid: _parse_slot(slot) for sid, slot in _get(doc, "slots", dict).items()}
            if "" in slots:
                raise _Bad("a slot id is empty")
            return cls(db_id, generation, key_check, slots, path)
        except FileNotFoundError:
            raise SlotFileMissing("key-file-missing", path=path) from None
        except OSError as exc:
            raise KeySlotError("key-file-unreadable", path=path, reason=exc.strerror or exc) from None
        except (ValueError, RecursionError):  # includes UnicodeDecodeError and JSONDecodeError
            raise _corrupt(path, "it is not valid JSON") from None
        except _Bad as bad:
            raise _corrupt(path, str(bad)) from None

    def save(self, path: Path) -> None:
        doc = {"format": FORMAT, "version": VERSION, "db_id": self.db_id, "generation": self.generation,
               "key_check": self.key_check, "slots": {sid: _slot_json(s) for sid, s in self._slots.items()}}
        text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        write_atomic(Path(path), text.encode("utf-8"))
        self._source = Path(path)

    @property
    def slot_ids(self) -> list[str]:
        return sorted(self._slots)

    def has_slot(self, slot_id: str) -> bool:
        return slot_id in self._slots

    def add_slot(self, slot_id: str, secret: str, data_key: bytes, kdf: KdfParams | None = None) -> bytes:
        if not slot_id:
            raise Bug("a slot id must not be empty")
        if not self.matches(data_key):
            raise Bug("this data key is not the one this key file protects")
        private = X25519PrivateKey.generate()
        public = private.public_key().public_bytes_raw()
        kdf = kdf or calibrate_kdf()
        sealed = _seal_to(public, data_key, _aad(self.db_id, slot_id, "data", self.generation))
        created = datetime.now(UTC).isoformat(timespec="seconds")
        private_sealed = self._seal_private(slot_id, private, secret, kdf)
        self._slots[slot_id] = _Slot(kdf, public, private_sealed, sealed, created)
        return public

    def unlock(self, slot_id: str, secret: str) -> bytes:
        slot = self._slot(slot_id)
        private = self._open_private(slot_id, slot, secret)
        (eph, nonce, ciphertext), aad = slot.data, _aad(self.db_id, slot_id, "data", self.generation)
        try:  # the private key opened, so a failure here is damage or tampering, not a wrong password
            key = _ecies_key(private.exchange(X25519PublicKey.from_public_bytes(eph)), eph, slot.public_key)
            data_key = AESGCM(key).decrypt(nonce, ciphertext, aad)
        except (InvalidTag, ValueError):
            raise _corrupt(self._source, f"the data key in slot '{slot_id}' does not decrypt") from None
        if not self.matches(data_key):
            raise _corrupt(self._source, f"slot '{slot_id}' holds a key that fails the key check")
        return data_key

    def change_secret(self, slot_id: str, old_secret: str, new_secret: str) -> None:
        slot = self._slot(slot_id)
        private = self._open_private(slot_id, slot, old_secret)
        kdf = calibrate_kdf()  # a fresh salt, and parameters fit for today's hardware
        sealed = self._seal_private(slot_id, private, new_secret, kdf)
        self._slots[slot_id] = replace(slot, kdf=kdf, private=sealed)

    def remove_slot(self, slot_id: str) -> None:
        self._slot(slot_id)
        del self._slots[slot_id]

    def public_key(self, slot_id: str) -> bytes:
        return self._slot(slot_id).public_key

    def rewrapped(self, new_data_key: bytes, trusted_public_keys: Mapping[str, bytes]) -> KeySlots:
        # The trusted keys come from inside the encrypted database: a side file whose slots or public keys
        # were swapped must not be able to redirect the new data key to an attacker.
        if set(trusted_public_keys) != set(self._slots):
            raise _corrupt(self._source, "its key slots differ from the ones recorded in the database")
        for sid, slot in self._slots.items():
            if not hmac.compare_digest(bytes(trusted_public_keys[sid]), slot.public_key):
                raise _corrupt(self._source, f"the public key of slot '{sid}' differs from the database's")
        new = KeySlots(self.db_id, self.generation + 1, _key_check(new_data_key), source=self._source)
        for sid, slot in self._slots.items():
            sealed = _seal_to(slot.public_key, new_data_key, _aad(self.db_id, sid, "data", new.generation))
            new._slots[sid] = replace(slot, data=sealed)
        return new

    def matches(self, data_key: bytes) -> bool:
        return len(data_key) == _KEY and hmac.compare_digest(self.key_check, _key_check(data_key))

    def _slot(self, slot_id: str) -> _Slot:
        if slot_id not in self._slots:
            raise NoSuchSlot("key-slot-missing", slot=slot_id, path=_named(self._source))
        return self._slots[slot_id]

    def _kek(self, slot_id: str, secret: str, kdf: KdfParams) -> tuple[AESGCM, bytes]:
        # The recovery code is normalised so it can be typed loosely; passwords are taken as typed.
        secret = normalise_recovery_code(secret) if slot_id == RECOVERY_SLOT else secret
        if not secret:
            raise WrongSecret("empty-secret", slot=slot_id)
        return AESGCM(kdf.derive(secret)), _aad(self.db_id, slot_id, "private")  # no generation: rekey keeps it

    def _seal_private(self, slot_id: str, private: X25519PrivateKey, secret: str,
                      kdf: KdfParams) -> tuple[bytes, bytes]:
        aead, aad = self._kek(slot_id, secret, kdf)
        nonce = secrets.token_bytes(_NONCE)
        return nonce, aead.encrypt(nonce, private.private_bytes_raw(), aad)

    def _open_private(self, slot_id: str, slot: _Slot, secret: str) -> X25519PrivateKey:
        try:
            aead, aad = self._kek(slot_id, secret, slot.kdf)
            private = X25519PrivateKey.from_private_bytes(aead.decrypt(*slot.private, aad))
        except (InvalidTag, ValueError):
            raise WrongSecret("wrong-recovery-code" if slot_id == RECOVERY_SLOT else "wrong-password",
                              slot=slot_id) from None
        if private.public_key().public_bytes_raw() != slot.public_key:
            raise _corrupt(self._source, f"the public key of slot '{slot_id}' does not match its private key")
        return private
