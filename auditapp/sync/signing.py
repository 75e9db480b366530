"""Signed packages: who wrote a package, and whether this data folder trusts them.

Every data folder has an Ed25519 signing key (``keys/signing-ed25519.pem``, made on first
use, readable by its owner only). A package is signed over the exact bytes of its
manifest, which holds the sha256 and size of every member, so the signature covers the
whole package once ``package.read_package`` has checked the members against it. The
signature travels in the zip's comment: older versions of auditapp ignore it, and
reading it needs no change to the package format.

Import shows the signer (device label and a short fingerprint) and refuses a package
whose signature does not verify. A signer not seen before is announced with a warning
and can be accepted into the data folder's trust list (``keys/trusted.json``,
``auditapp keys trust``); a package without a signature (written by an older version)
imports with a warning.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from auditapp.sync.errors import SyncError

KEYS_DIR = "keys"
SIGNING_KEY = "signing-ed25519.pem"
TRUST_FILE = "trusted.json"
COMMENT_TAG = "auditapp-signature"
MAX_COMMENT = 4096

SignerStatus = str  # own | trusted | unknown | unsigned


@dataclass(frozen=True)
class Signer:
    """Who signed a package, and what this data folder makes of it."""

    status: SignerStatus
    label: str = ""
    fingerprint: str = ""
    public_key: str = ""  # base64 of the raw 32 bytes

    @property
    def needs_warning(self) -> bool:
        return self.status in ("unknown", "unsigned")


@dataclass(frozen=True)
class TrustedKey:
    fingerprint: str
    label: str
    public_key: str
    added_at: str
    own: bool = False


def fingerprint(raw_public: bytes) -> str:
    """A short, readable id of a public key: the first 16 hex digits of its sha256, in groups."""
    digest = hashlib.sha256(raw_public).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """This data folder's signing key, created on first use (file mode 0600)."""
    path = _keys_dir(data_dir) / SIGNING_KEY
    if path.is_file():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SyncError("keys.signing_key_invalid", path=str(path))
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return key


def own_public(data_dir: Path) -> bytes:
    return _raw(signing_key(data_dir).public_key())


def signature_comment(data_dir: Path, manifest: bytes, label: str) -> bytes:
    """The zip comment that signs ``manifest`` with this data folder's key."""
    key = signing_key(data_dir)
    body = {
        COMMENT_TAG: 1,
        "alg": "ed25519",
        "label": label[:200],
        "public_key": base64.b64encode(_raw(key.public_key())).decode("ascii"),
        "signature": base64.b64encode(key.sign(manifest)).decode("ascii"),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------------------
# the trust list


def _trust_path(data_dir: Path) -> Path:
    return _keys_dir(data_dir) / TRUST_FILE


def trusted_keys(data_dir: Path) -> list[TrustedKey]:
    """This data folder's own key first, then the signers it trusts."""
    own = own_public(data_dir)
    out = [TrustedKey(fingerprint(own), "this computer", base64.b64encode(own).decode("ascii"), "", own=True)]
    path = _trust_path(data_dir)
    if path.is_file():
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise SyncError("keys.trust_list_unreadable", path=str(path)) from None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and {"fingerprint", "label", "public_key", "added_at"} <= set(entry):
                out.append(TrustedKey(entry["fingerprint"], entry["label"], entry["public_key"], entry["added_at"]))
    return out


def trust(data_dir: Path, signer: Signer, label: str | None = None) -> TrustedKey:
    """Accept a signer into the trust list (the same key again just updates its label)."""
    if not signer.public_key:
        raise SyncError("keys.unsigned_cannot_trust")
    entries = [k for k in trusted_keys(data_dir) if not k.own and k.fingerprint != signer.fingerprint]
    added = TrustedKey(
        signer.fingerprint, (label or signer.label)[:200], signer.public_key,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _write_trust(data_dir, [*entries, added])
    return added


def untrust(data_dir: Path, fp: str) -> TrustedKey:
    entries = [k for k in trusted_keys(data_dir) if not k.own]
    wanted = _normalise_fp(fp)
    gone = [k for k in entries if _normalise_fp(k.fingerprint) == wanted]
    if not gone:
        raise SyncError("keys.not_trusted", fingerprint=fp)
    _write_trust(data_dir, [k for k in entries if k not in gone])
    return gone[0]


def _normalise_fp(fp: str) -> str:
    return fp.replace(" ", "").lower()


def _write_trust(data_dir: Path, entries: list[TrustedKey]) -> None:
    path = _trust_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [{"fingerprint": k.fingerprint, "label": k.label, "public_key": k.public_key, "added_at": k.added_at}
            for k in entries]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------
# checking a package


def _read_comment(body: bytes) -> dict[str, Any] | None:
    if not body:
        return None
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None  # a zip comment that is not ours: an unsigned package
    if not isinstance(value, dict) or value.get(COMMENT_TAG) != 1:
        return None
    return value


def check_signature(path: Path, data_dir: Path, *, max_manifest_bytes: int = 64 * 1024 * 1024) -> Signer:
    """Who signed the package at ``path``; raises SyncError("package.bad_signature") if it does not verify.

    Call after ``read_package`` has validated the package (the manifest is its first
    member and every member matches it).
    """
    with zipfile.ZipFile(path) as zf:
        comment = _read_comment(zf.comment) if len(zf.comment) <= MAX_COMMENT else None
        first = zf.infolist()[0]
        if first.file_size > max_manifest_bytes:
            raise SyncError("package.bad_signature", path=str(path))
        manifest = zf.read(first)
    if comment is None:
        return Signer("unsigned")
    try:
        raw = base64.b64decode(str(comment.get("public_key", "")), validate=True)
        signature = base64.b64decode(str(comment.get("signature", "")), validate=True)
        if comment.get("alg") != "ed25519" or len(raw) != 32:
            raise ValueError("not an Ed25519 key")
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, manifest)
    except (InvalidSignature, ValueError, TypeError):
        raise SyncError("package.bad_signature", path=str(path)) from None
    fp = fingerprint(raw)
    label = str(comment.get("label", ""))[:200]
    known = {k.fingerprint: k for k in trusted_keys(data_dir)}
    status = "unknown"
    if fp in known:
        status = "own" if known[fp].own else "trusted"
    return Signer(status, label=label, fingerprint=fp, public_key=base64.b64encode(raw).decode("ascii"))


__all__ = [
    "Signer",
    "TrustedKey",
    "check_signature",
    "fingerprint",
    "signature_comment",
    "signing_key",
    "trust",
    "trusted_keys",
    "untrust",
]
