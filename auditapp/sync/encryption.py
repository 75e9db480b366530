"""Packages encrypted for a recipient: a lost USB stick reveals nothing.

The whole package file (zip, signature and all) is encrypted, so not a member name,
count or record is readable without the recipient's private key; only the file's size
shows. Scheme (all from ``cryptography``):

- the recipient has an X25519 key pair; the private key lives in a PEM file protected by
  a passphrase (``keys create``), the public one is handed out (``keys export-public``);
- the sender makes an ephemeral X25519 key, derives a 256-bit key with HKDF-SHA256 from
  the shared secret (bound to both public keys), and encrypts the package in 1 MiB
  chunks with ChaCha20-Poly1305; each chunk's nonce is its number, and the last one is
  marked in its associated data, so reordering, truncation or any changed byte fails.

File layout: ``MAGIC``, the ephemeral public key (32 bytes), then chunks of
``length (4 bytes, big-endian) + ciphertext``.
"""

from __future__ import annotations

import getpass
import os
import stat
import struct
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from auditapp.sync.errors import SyncError

MAGIC = b"AUDITAPP-ENCRYPTED-PACKAGE-1\n"
CHUNK = 1024 * 1024
PASSPHRASE_ENV = "AUDITAPP_KEY_PASSPHRASE"
_INFO = b"auditapp package encryption v1"


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is a regular file starting with the encrypted-package header.

    Anything else (a named pipe, a folder, a missing file) is False without opening it:
    reading a pipe would block for ever, and the package reader refuses it in words.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def passphrase(*, confirm: bool = False) -> bytes:
    """The key's passphrase: ``AUDITAPP_KEY_PASSPHRASE``, else asked for on a terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        if not sys.stdin.isatty():
            raise SyncError("keys.passphrase_needed", env=PASSPHRASE_ENV)
        value = getpass.getpass("passphrase: ")
        if confirm and getpass.getpass("passphrase again: ") != value:
            raise SyncError("keys.passphrase_mismatch")
    if not value:
        raise SyncError("keys.passphrase_needed", env=PASSPHRASE_ENV)
    return value.encode("utf-8")


def create_key(output: Path, secret: bytes) -> str:
    """A new X25519 private key at ``output``, encrypted with ``secret``; returns its public key's fingerprint."""
    from auditapp.sync.signing import fingerprint

    key = X25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(secret)
    )
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return fingerprint(_raw(key.public_key()))


def load_private(path: Path, secret: bytes) -> X25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SyncError("keys.file_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except (ValueError, TypeError):
        raise SyncError("keys.wrong_passphrase", path=str(path)) from None
    if not isinstance(key, X25519PrivateKey):
        raise SyncError("keys.not_an_encryption_key", path=str(path))
    return key


def export_public(key: X25519PrivateKey, output: Path) -> str:
    from auditapp.sync.signing import fingerprint

    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    Path(output).write_bytes(pem)
    return fingerprint(_raw(key.public_key()))


def load_public(path: Path) -> X25519PublicKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SyncError("keys.file_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise SyncError("keys.not_a_public_key", path=str(path)) from None
    if not isinstance(key, X25519PublicKey):
        raise SyncError("keys.not_a_public_key", path=str(path))
    return key


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aead(shared: bytes, eph: bytes, recipient: bytes) -> ChaCha20Poly1305:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph + recipient, info=_INFO).derive(shared)
    return ChaCha20Poly1305(key)


def _nonce(n: int) -> bytes:
    return struct.pack(">4xQ", n)


def encrypt_file(plain: Path, output: Path, recipient: X25519PublicKey) -> None:
    """Encrypt ``plain`` for ``recipient`` into ``output`` (written atomically)."""
    eph = X25519PrivateKey.generate()
    eph_raw, rcpt_raw = _raw(eph.public_key()), _raw(recipient)
    aead = _aead(eph.exchange(recipient), eph_raw, rcpt_raw)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=Path(output).parent)
    try:
        with os.fdopen(fd, "wb") as out, open(plain, "rb") as src:
            out.write(MAGIC + eph_raw)
            n = 0
            chunk = src.read(CHUNK)
            while True:
                following = src.read(CHUNK)
                final = not following
                sealed = aead.encrypt(_nonce(n), chunk, b"final" if final else b"more")
                out.write(struct.pack(">I", len(sealed)) + sealed)
                if final:
                    break
                chunk, n = following, n + 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def decrypted(path: Path, key: X25519PrivateKey, folder: Path) -> Iterator[Path]:
    """The plain package of an encrypted one, in a temporary file in ``folder`` (removed afterwards)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".decrypted-", suffix=".auditpkg", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            if src.read(len(MAGIC)) != MAGIC:
                raise SyncError("package.not_encrypted", path=str(path))
            eph_raw = src.read(32)
            if len(eph_raw) != 32:
                raise SyncError("package.decrypt_failed", path=str(path))
            try:
                aead = _aead(key.exchange(X25519PublicKey.from_public_bytes(eph_raw)), eph_raw, _raw(key.public_key()))
            except ValueError:
                raise SyncError("package.decrypt_failed", path=str(path)) from None
            n, finished = 0, False
            while True:
                head = src.read(4)
                if not head:
                    break
                if finished or len(head) != 4:
                    raise SyncError("package.decrypt_failed", path=str(path))
                (size,) = struct.unpack(">I", head)
                if size > CHUNK + 16:
                    raise SyncError("package.decrypt_failed", path=str(path))
                sealed = src.read(size)
                for aad in (b"more", b"final"):
                    try:
                        out.write(aead.decrypt(_nonce(n), sealed, aad))
                        finished = aad == b"final"
                        break
                    except InvalidTag:
                        continue
                else:
                    raise SyncError("package.decrypt_failed", path=str(path))
                n += 1
            if not finished:
                raise SyncError("package.decrypt_failed", path=str(path))  # truncated
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
