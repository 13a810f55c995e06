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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ecrf.atomic import write_atomic
from ecrf.errors import Bug
from ecrf.store.errors import StoreError

RECOVERY_SLOT = "recovery"
FORMAT, VERSION = "ecrf-keyslots", 2
READABLE_VERSIONS = (1, 2)  # 1: before personal signing keys; such slots get one at their next login
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_KEY, _NONCE, _SEALED = 32, 12, 48  # sealed = a 32-byte key plus the 16-byte GCM tag
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
            raise ValueError("Argon2id parameters out of range")  # _parse_slot reports it as a damaged file
        if self.profile not in (None, DEMO_PROFILE):
            raise ValueError("unknown key derivation profile")

    def derive(self, secret: str) -> bytes:
        """The 32-byte key-encryption key. NFC first, so a password typed on another OS/keyboard matches."""
        data = unicodedata.normalize("NFC", secret).encode("utf-8")
        return hash_secret_raw(data, self.salt, time_cost=self.time_cost, memory_cost=self.memory_cost,
                               parallelism=self.parallelism, hash_len=_KEY, type=Type.ID)


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
    # The user's personal Ed25519 signing key, sealed under the password like `private` (version 2).
    signing: tuple[bytes, bytes] | None = None  # nonce, ciphertext
    signing_public: bytes | None = None
    # The key that opens the site signing key, sealed to this slot: only roles that may export, and admins.
    site_key: tuple[bytes, bytes, bytes] | None = None


@dataclass(frozen=True)
class OpenedSlot:
    """What one password opens: the data key, the personal signing key (None in a slot made before they
    existed), and the key to the site signing key (None for roles that may not sign bundles)."""

    slot_id: str
    data_key: bytes
    signing_key: Ed25519PrivateKey | None
    site_kek: bytes | None
    kek: bytes  # the password-derived key, kept to seal a new signing key into a version-1 slot

    @property
    def signing_public_hex(self) -> str | None:
        return self.signing_key.public_key().public_bytes_raw().hex() if self.signing_key else None


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
                           _get(kdf, "parallelism", int), _raw(kdf, "salt"),
                           _get(kdf, "profile", str) if "profile" in kdf else None)
    except ValueError:
        raise _Bad("its key derivation parameters are out of range") from None
    return _Slot(params, _raw(doc, "public_key", _KEY),
                 (_raw(priv, "nonce", _NONCE), _raw(priv, "ciphertext", _SEALED)),
                 (_raw(data, "ephemeral", _KEY), _raw(data, "nonce", _NONCE), _raw(data, "ciphertext", _SEALED)),
                 _get(doc, "created", str), *_parse_signing(doc), _parse_site_key(doc))


def _parse_signing(doc: object) -> tuple[tuple[bytes, bytes] | None, bytes | None]:
    if not isinstance(doc, dict) or "signing_key" not in doc:
        return None, None
    sealed = _get(doc, "signing_key", dict)
    return (_raw(sealed, "nonce", _NONCE), _raw(sealed, "ciphertext", _SEALED)), _raw(doc, "signing_public", _KEY)


def _parse_site_key(doc: object) -> tuple[bytes, bytes, bytes] | None:
    if not isinstance(doc, dict) or "site_key" not in doc:
        return None
    sealed = _get(doc, "site_key", dict)
    return _raw(sealed, "ephemeral", _KEY), _raw(sealed, "nonce", _NONCE), _raw(sealed, "ciphertext", _SEALED)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _slot_json(s: _Slot) -> dict[str, object]:
    kdf = {"name": "argon2id", "time_cost": s.kdf.time_cost, "memory_cost": s.kdf.memory_cost,
           "parallelism": s.kdf.parallelism, "salt": _b64(s.kdf.salt)}
    if s.kdf.profile is not None:
        kdf["profile"] = s.kdf.profile
    doc: dict[str, object] = {
        "kdf": kdf, "public_key": _b64(s.public_key), "created": s.created,
        "private_key": dict(zip(("nonce", "ciphertext"), map(_b64, s.private), strict=True)),
        "data_key": dict(zip(("ephemeral", "nonce", "ciphertext"), map(_b64, s.data), strict=True))}
    if s.signing is not None and s.signing_public is not None:
        doc["signing_key"] = dict(zip(("nonce", "ciphertext"), map(_b64, s.signing), strict=True))
        doc["signing_public"] = _b64(s.signing_public)
    if s.site_key is not None:
        doc["site_key"] = dict(zip(("ephemeral", "nonce", "ciphertext"), map(_b64, s.site_key), strict=True))
    return doc


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
            if _get(doc, "format", str) != FORMAT or _get(doc, "version", int) not in READABLE_VERSIONS:
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
        kek = kdf.derive(self._secret(slot_id, secret))
        private_sealed = self._seal_raw(slot_id, kek, "private", private.private_bytes_raw())
        signing = Ed25519PrivateKey.generate()  # a new password set by someone else: a new personal key
        signing_sealed = self._seal_raw(slot_id, kek, "signing", signing.private_bytes_raw())
        self._slots[slot_id] = _Slot(kdf, public, private_sealed, sealed, created, signing_sealed,
                                     signing.public_key().public_bytes_raw())
        return public

    def unlock(self, slot_id: str, secret: str) -> bytes:
        return self.open(slot_id, secret).data_key

    def open(self, slot_id: str, secret: str) -> OpenedSlot:
        """Everything the password opens, with one key derivation."""
        if slot_id not in self._slots and self._slots:
            # As slow as a real attempt: a quick refusal would tell an outsider which usernames exist.
            next(iter(self._slots.values())).kdf.derive(secret or "-")
        slot = self._slot(slot_id)
        kek = slot.kdf.derive(self._secret(slot_id, secret))
        private = self._open_private(slot_id, slot, kek)
        data_key = self._open_sealed_to(slot_id, slot, private, slot.data, "data", self.generation)
        if not self.matches(data_key):
            raise _corrupt(self._source, f"slot '{slot_id}' holds a key that fails the key check")
        site_kek = (self._open_sealed_to(slot_id, slot, private, slot.site_key, "site-key", None)
                    if slot.site_key else None)
        return OpenedSlot(slot_id, data_key, self._open_signing(slot_id, slot, kek), site_kek, kek)

    def fingerprint(self) -> int:
        """Changes whenever a slot does: to save the file only when something changed."""
        return hash(tuple(sorted(self._slots.items())))

    def weak(self, slot_id: str) -> bool:
        """Made with the test suite's fast parameters (ECRF_KDF_PROFILE=fast): to be strengthened at login.
        A demo user's slot (DEMO_PROFILE, a public password) is cheap on purpose and not weak in this sense."""
        kdf = self._slot(slot_id).kdf
        return kdf.memory_cost < PRODUCTION_MEMORY_KIB and kdf.profile != DEMO_PROFILE

    def profile(self, slot_id: str) -> str | None:
        """DEMO_PROFILE for a slot made for a demo user, None for every other slot."""
        return self._slot(slot_id).kdf.profile

    def signing_public(self, slot_id: str) -> str | None:
        """The slot's personal public key (hex), readable without the password; None before version 2."""
        found = self._slot(slot_id).signing_public
        return found.hex() if found else None

    def add_signing_key(self, opened: OpenedSlot) -> OpenedSlot:
        """Give a version-1 slot its personal key (at its owner's first login after the upgrade)."""
        slot = self._slot(opened.slot_id)
        signing = Ed25519PrivateKey.generate()
        sealed = self._seal_raw(opened.slot_id, opened.kek, "signing", signing.private_bytes_raw())
        public = signing.public_key().public_bytes_raw()
        self._slots[opened.slot_id] = replace(slot, signing=sealed, signing_public=public)
        return replace(opened, signing_key=signing)

    def grant_site_key(self, slot_id: str, site_kek: bytes) -> None:
        slot = self._slot(slot_id)
        self._slots[slot_id] = replace(slot, site_key=_seal_to(slot.public_key, site_kek,
                                                               _aad(self.db_id, slot_id, "site-key")))

    def revoke_site_key(self, slot_id: str) -> None:
        if slot_id in self._slots:
            self._slots[slot_id] = replace(self._slots[slot_id], site_key=None)

    def has_site_key(self, slot_id: str) -> bool:
        return slot_id in self._slots and self._slots[slot_id].site_key is not None

    def change_secret(self, slot_id: str, old_secret: str, new_secret: str) -> None:
        slot = self._slot(slot_id)
        old_kek = slot.kdf.derive(self._secret(slot_id, old_secret))
        private = self._open_private(slot_id, slot, old_kek)
        signing = self._open_signing(slot_id, slot, old_kek)
        kdf = calibrate_kdf()  # a fresh salt, and parameters fit for today's hardware
        kek = kdf.derive(self._secret(slot_id, new_secret))
        sealed = self._seal_raw(slot_id, kek, "private", private.private_bytes_raw())
        signing_sealed = self._seal_raw(slot_id, kek, "signing", signing.private_bytes_raw()) if signing else None
        self._slots[slot_id] = replace(slot, kdf=kdf, private=sealed, signing=signing_sealed)

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

    def _secret(self, slot_id: str, secret: str) -> str:
        # The recovery code is normalised so it can be typed loosely; passwords are taken as typed.
        secret = normalise_recovery_code(secret) if slot_id == RECOVERY_SLOT else secret
        if not secret:
            raise WrongSecret("empty-secret", slot=slot_id)
        return secret

    def _seal_raw(self, slot_id: str, kek: bytes, purpose: str, raw: bytes) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(_NONCE)  # no generation in the associated data: rekey keeps these
        return nonce, AESGCM(kek).encrypt(nonce, raw, _aad(self.db_id, slot_id, purpose))

    def _open_private(self, slot_id: str, slot: _Slot, kek: bytes) -> X25519PrivateKey:
        try:
            private = X25519PrivateKey.from_private_bytes(
                AESGCM(kek).decrypt(*slot.private, _aad(self.db_id, slot_id, "private")))
        except (InvalidTag, ValueError):
            raise WrongSecret("wrong-recovery-code" if slot_id == RECOVERY_SLOT else "wrong-password",
                              slot=slot_id) from None
        if private.public_key().public_bytes_raw() != slot.public_key:
            raise _corrupt(self._source, f"the public key of slot '{slot_id}' does not match its private key")
        return private

    def _open_signing(self, slot_id: str, slot: _Slot, kek: bytes) -> Ed25519PrivateKey | None:
        if slot.signing is None:
            return None
        try:  # the password opened the slot, so a failure here is damage or tampering
            signing = Ed25519PrivateKey.from_private_bytes(
                AESGCM(kek).decrypt(*slot.signing, _aad(self.db_id, slot_id, "signing")))
        except (InvalidTag, ValueError):
            raise _corrupt(self._source, f"the signing key in slot '{slot_id}' does not decrypt") from None
        if signing.public_key().public_bytes_raw() != slot.signing_public:
            raise _corrupt(self._source, f"the signing key of slot '{slot_id}' does not match its public key")
        return signing

    def _open_sealed_to(self, slot_id: str, slot: _Slot, private: X25519PrivateKey,
                        sealed: tuple[bytes, bytes, bytes], purpose: str, generation: int | None) -> bytes:
        eph, nonce, ciphertext = sealed
        try:  # the private key opened, so a failure here is damage or tampering, not a wrong password
            key = _ecies_key(private.exchange(X25519PublicKey.from_public_bytes(eph)), eph, slot.public_key)
            return AESGCM(key).decrypt(nonce, ciphertext, _aad(self.db_id, slot_id, purpose, generation))
        except (InvalidTag, ValueError):
            raise _corrupt(self._source, f"the {purpose} key in slot '{slot_id}' does not decrypt") from None
