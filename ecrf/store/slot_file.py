"""The key file (`site.keys`) as bytes on disk: reading it, checking its shape, writing it; and the errors of
the key slot family.

Everything read here comes from a file anyone with disk access can edit, so every field is checked for type,
base64 and length before the crypto in `ecrf.store.keyslots` sees it, and any structural fault is reported
as one `SlotFileCorrupt` that names the file and what is wrong. Nothing here holds or opens a secret: a slot
is stored already sealed (`SealedSlot`).
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecrf.atomic import write_atomic
from ecrf.store.errors import StoreError
from ecrf.store.kdf import KEY_BYTES, KdfParams

FORMAT, VERSION = "ecrf-keyslots", 2
READABLE_VERSIONS = (1, 2)  # 1: before personal signing keys; such slots get one at their next login
NONCE_BYTES = 12
SEALED_BYTES = KEY_BYTES + 16  # a 32-byte key plus the 16-byte GCM tag


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


@dataclass(frozen=True)
class SealedSlot:
    """One slot as the file stores it: public keys in the clear, everything secret sealed."""

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
class SlotFileContents:
    db_id: str
    generation: int
    key_check: str  # 16 bytes of an HMAC under the data key, in hex: which key the slots hold, not the key
    slots: dict[str, SealedSlot]


def read_slot_file(path: Path) -> SlotFileContents:
    """The checked contents of a key file, or a KeySlotError that names the file and what is wrong."""
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
        return SlotFileContents(db_id, generation, key_check, slots)
    except FileNotFoundError:
        raise SlotFileMissing("key-file-missing", path=path) from None
    except OSError as exc:
        raise KeySlotError("key-file-unreadable", path=path, reason=exc.strerror or exc) from None
    except (ValueError, RecursionError):  # includes UnicodeDecodeError and JSONDecodeError
        raise damaged(path, "it is not valid JSON") from None
    except _Bad as bad:
        raise damaged(path, str(bad)) from None


def write_slot_file(path: Path, contents: SlotFileContents) -> None:
    doc = {"format": FORMAT, "version": VERSION, "db_id": contents.db_id, "generation": contents.generation,
           "key_check": contents.key_check,
           "slots": {sid: _slot_json(s) for sid, s in contents.slots.items()}}
    text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


def damaged(path: Path | None, detail: str) -> SlotFileCorrupt:
    return SlotFileCorrupt("key-file-damaged", path=name_in_messages(path), detail=detail)


def name_in_messages(path: Path | None) -> str:
    """How messages name a key file that may not have been saved anywhere yet."""
    return str(path) if path else "(not saved yet)"


class _Bad(Exception):
    """A structural problem found while parsing; `read_slot_file` reports it as SlotFileCorrupt naming the path."""


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


def _parse_slot(doc: object) -> SealedSlot:
    kdf, priv, data = _get(doc, "kdf", dict), _get(doc, "private_key", dict), _get(doc, "data_key", dict)
    if _get(kdf, "name", str) != "argon2id":
        raise _Bad("unknown key derivation function")
    try:  # KdfParams checks the ranges and the salt length
        params = KdfParams(_get(kdf, "time_cost", int), _get(kdf, "memory_cost", int),
                           _get(kdf, "parallelism", int), _raw(kdf, "salt"),
                           _get(kdf, "profile", str) if "profile" in kdf else None)
    except ValueError:
        raise _Bad("its key derivation parameters are out of range") from None
    return SealedSlot(params, _raw(doc, "public_key", KEY_BYTES),
                      (_raw(priv, "nonce", NONCE_BYTES), _raw(priv, "ciphertext", SEALED_BYTES)),
                      (_raw(data, "ephemeral", KEY_BYTES), _raw(data, "nonce", NONCE_BYTES),
                       _raw(data, "ciphertext", SEALED_BYTES)),
                      _get(doc, "created", str), *_parse_signing(doc), _parse_site_key(doc))


def _parse_signing(doc: object) -> tuple[tuple[bytes, bytes] | None, bytes | None]:
    if not isinstance(doc, dict) or "signing_key" not in doc:
        return None, None
    sealed = _get(doc, "signing_key", dict)
    return ((_raw(sealed, "nonce", NONCE_BYTES), _raw(sealed, "ciphertext", SEALED_BYTES)),
            _raw(doc, "signing_public", KEY_BYTES))


def _parse_site_key(doc: object) -> tuple[bytes, bytes, bytes] | None:
    if not isinstance(doc, dict) or "site_key" not in doc:
        return None
    sealed = _get(doc, "site_key", dict)
    return (_raw(sealed, "ephemeral", KEY_BYTES), _raw(sealed, "nonce", NONCE_BYTES),
            _raw(sealed, "ciphertext", SEALED_BYTES))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _slot_json(s: SealedSlot) -> dict[str, object]:
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
