"""Key slots: the SQLCipher data key, wrapped once per user, and what a password opens.

Each slot has an X25519 key pair. Its private key is sealed (AES-256-GCM) under a key derived from the
user's password or the recovery code with Argon2id (`ecrf.store.kdf`); the data key is sealed *to* its public
key (ECIES). So `rewrapped` can give every slot a new data key without anyone's password, and a password change
re-seals one private key only. Every seal binds db_id, slot id and purpose (and, for the data key, the
generation) as associated data, so a slot moved to another id, database or generation does not open.
The file itself (`site.keys`) is read and written by `ecrf.store.slot_file`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ecrf.errors import Bug
from ecrf.store.kdf import DEMO_PROFILE, KEY_BYTES, PRODUCTION_MEMORY_KIB, KdfParams, calibrate_kdf
from ecrf.store.recovery_code import RECOVERY_SLOT, normalise_recovery_code
from ecrf.store.slot_file import (
    FORMAT,
    NONCE_BYTES,
    NoSuchSlot,
    SealedSlot,
    SlotFileContents,
    WrongSecret,
    damaged,
    name_in_messages,
    read_slot_file,
    write_slot_file,
)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


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
    if len(data_key) != KEY_BYTES:
        raise Bug("a data key must be 32 bytes")
    return hmac.new(data_key, b"ecrf key check", hashlib.sha256).digest()[:16].hex()


def _aad(db_id: str, slot_id: str, purpose: str, generation: int | None = None) -> bytes:
    parts = [FORMAT, db_id, slot_id, purpose] + ([] if generation is None else [generation])
    return json.dumps(parts).encode()  # a JSON list stays unambiguous whatever characters the ids hold


def _ecies_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    # Salting with both public keys binds the wrapping key to this recipient and this ephemeral key.
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=ephemeral + recipient, info=b"ecrf key slot v1").derive(shared)


def _seal_to(public_key: bytes, data_key: bytes, aad: bytes) -> tuple[bytes, bytes, bytes]:
    eph = X25519PrivateKey.generate()
    eph_pub, nonce = eph.public_key().public_bytes_raw(), secrets.token_bytes(NONCE_BYTES)
    key = _ecies_key(eph.exchange(X25519PublicKey.from_public_bytes(public_key)), eph_pub, public_key)
    return eph_pub, nonce, AESGCM(key).encrypt(nonce, data_key, aad)


class KeySlots:
    """The slots of one key file, in memory: made, opened and re-sealed here; `save` writes them."""

    def __init__(self, db_id: str, generation: int, key_check: str, slots: dict[str, SealedSlot] | None = None,
                 source: Path | None = None) -> None:
        self.db_id, self.generation, self.key_check = db_id, generation, key_check
        self._slots: dict[str, SealedSlot] = dict(slots or {})
        self._source = source  # the file it came from, named in error messages

    @classmethod
    def new(cls, db_id: str, data_key: bytes) -> KeySlots:
        if not db_id:
            raise Bug("a database id must not be empty")
        return cls(db_id, 1, _key_check(data_key))

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        path = Path(path)
        contents = read_slot_file(path)
        return cls(contents.db_id, contents.generation, contents.key_check, contents.slots, path)

    def save(self, path: Path) -> None:
        write_slot_file(Path(path), SlotFileContents(self.db_id, self.generation, self.key_check, self._slots))
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
        self._slots[slot_id] = SealedSlot(kdf, public, private_sealed, sealed, created, signing_sealed,
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
            raise damaged(self._source, f"slot '{slot_id}' holds a key that fails the key check")
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
            raise damaged(self._source, "its key slots differ from the ones recorded in the database")
        for sid, slot in self._slots.items():
            if not hmac.compare_digest(bytes(trusted_public_keys[sid]), slot.public_key):
                raise damaged(self._source, f"the public key of slot '{sid}' differs from the database's")
        new = KeySlots(self.db_id, self.generation + 1, _key_check(new_data_key), source=self._source)
        for sid, slot in self._slots.items():
            sealed = _seal_to(slot.public_key, new_data_key, _aad(self.db_id, sid, "data", new.generation))
            new._slots[sid] = replace(slot, data=sealed)
        return new

    def matches(self, data_key: bytes) -> bool:
        return len(data_key) == KEY_BYTES and hmac.compare_digest(self.key_check, _key_check(data_key))

    def _slot(self, slot_id: str) -> SealedSlot:
        if slot_id not in self._slots:
            raise NoSuchSlot("key-slot-missing", slot=slot_id, path=name_in_messages(self._source))
        return self._slots[slot_id]

    def _secret(self, slot_id: str, secret: str) -> str:
        # The recovery code is normalised so it can be typed loosely; passwords are taken as typed.
        secret = normalise_recovery_code(secret) if slot_id == RECOVERY_SLOT else secret
        if not secret:
            raise WrongSecret("empty-secret", slot=slot_id)
        return secret

    def _seal_raw(self, slot_id: str, kek: bytes, purpose: str, raw: bytes) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(NONCE_BYTES)  # no generation in the associated data: rekey keeps these
        return nonce, AESGCM(kek).encrypt(nonce, raw, _aad(self.db_id, slot_id, purpose))

    def _open_private(self, slot_id: str, slot: SealedSlot, kek: bytes) -> X25519PrivateKey:
        try:
            private = X25519PrivateKey.from_private_bytes(
                AESGCM(kek).decrypt(*slot.private, _aad(self.db_id, slot_id, "private")))
        except (InvalidTag, ValueError):
            raise WrongSecret("wrong-recovery-code" if slot_id == RECOVERY_SLOT else "wrong-password",
                              slot=slot_id) from None
        if private.public_key().public_bytes_raw() != slot.public_key:
            raise damaged(self._source, f"the public key of slot '{slot_id}' does not match its private key")
        return private

    def _open_signing(self, slot_id: str, slot: SealedSlot, kek: bytes) -> Ed25519PrivateKey | None:
        if slot.signing is None:
            return None
        try:  # the password opened the slot, so a failure here is damage or tampering
            signing = Ed25519PrivateKey.from_private_bytes(
                AESGCM(kek).decrypt(*slot.signing, _aad(self.db_id, slot_id, "signing")))
        except (InvalidTag, ValueError):
            raise damaged(self._source, f"the signing key in slot '{slot_id}' does not decrypt") from None
        if signing.public_key().public_bytes_raw() != slot.signing_public:
            raise damaged(self._source, f"the signing key of slot '{slot_id}' does not match its public key")
        return signing

    def _open_sealed_to(self, slot_id: str, slot: SealedSlot, private: X25519PrivateKey,
                        sealed: tuple[bytes, bytes, bytes], purpose: str, generation: int | None) -> bytes:
        eph, nonce, ciphertext = sealed
        try:  # the private key opened, so a failure here is damage or tampering, not a wrong password
            key = _ecies_key(private.exchange(X25519PublicKey.from_public_bytes(eph)), eph, slot.public_key)
            return AESGCM(key).decrypt(nonce, ciphertext, _aad(self.db_id, slot_id, purpose, generation))
        except (InvalidTag, ValueError):
            raise damaged(self._source, f"the {purpose} key in slot '{slot_id}' does not decrypt") from None
