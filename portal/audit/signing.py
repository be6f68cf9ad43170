"""The checkpoint key: an Ed25519 key kept apart from the database, and what it signs.

The private key is a PEM file at AUDIT_CHECKPOINT_KEY (default instance/keys/
audit-checkpoint.pem), created on first use with mode 0600. Whoever can write the database
but not this file cannot make a checkpoint that verifies. Verification uses the public half:
AUDIT_CHECKPOINT_PUBLIC_KEY (a PEM file, e.g. on the auditor's machine) when set, else the
one derived from the private key.
"""

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# Domain separation: a checkpoint signature can never be mistaken for any other signature.
CONTEXT = b"keyless-care-portal/audit-checkpoint/v1\n"
KEY_FILE = "audit-checkpoint.pem"


class MissingCheckpointKey(RuntimeError):
    """No key to verify with (neither the private key file nor a configured public key)."""


def key_path(config, instance_path) -> Path:
    """Where the private checkpoint key lives."""
    configured = config.get("AUDIT_CHECKPOINT_KEY")
    return Path(configured) if configured else Path(instance_path) / "keys" / KEY_FILE


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Read the private key, generating it (0600, never overwriting) when it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key(config, instance_path) -> Ed25519PublicKey:
    """The key checkpoints are verified with (see the module docstring)."""
    configured = config.get("AUDIT_CHECKPOINT_PUBLIC_KEY")
    if configured:
        key = serialization.load_pem_public_key(Path(configured).read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{configured} is not an Ed25519 public key")
        return key
    path = key_path(config, instance_path)
    if not path.exists():
        raise MissingCheckpointKey(
            f"no checkpoint key at {path} (set AUDIT_CHECKPOINT_KEY or "
            "AUDIT_CHECKPOINT_PUBLIC_KEY): checkpoints cannot be verified"
        )
    return load_or_create_private_key(path).public_key()


def public_pem(key: Ed25519PublicKey) -> str:
    """The public key as PEM text (to hand to an auditor)."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """A short, stable name of a public key: the first 16 hex digits of SHA-256 of its bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def canonical(body: dict) -> str:
    """The exact text that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(key: Ed25519PrivateKey, body_text: str) -> str:
    """Base64 signature over the context and the body text."""
    return base64.b64encode(key.sign(CONTEXT + body_text.encode())).decode()


def verify(key: Ed25519PublicKey, body_text: str, signature: str) -> bool:
    """True when `signature` is this key's over the body text."""
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, CONTEXT + body_text.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
