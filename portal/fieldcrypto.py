"""Field encryption at rest (AES-GCM, key id stored with the value) and HMAC blind indexes."""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Keyring:
    """Encryption keys by id; new values use `current`, old ids stay readable for rotation."""

    def __init__(self, keys: dict[str, str], current: str, index_key: str):
        self.keys = {kid: _b64d(k) for kid, k in keys.items()}
        if current not in self.keys:
            raise ValueError("current key id is not in the keyring")
        for kid, key in self.keys.items():
            if len(key) != 32 or ":" in kid:
                raise ValueError(f"field key {kid!r} must be 32 bytes and have no ':'")
        self.current = current
        self._index_key = _b64d(index_key)

    @classmethod
    def from_config(cls, ring: dict) -> "Keyring":
        """Build from the JSON structure kept in instance/keys/fields.json."""
        return cls(ring["keys"], ring["current"], ring["index_key"])

    def encrypt(self, plaintext: str, purpose: str) -> str:
        """Encrypt text; the purpose is bound as associated data so values cannot be swapped."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current]).encrypt(
            nonce, plaintext.encode(), purpose.encode()
        )
        token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{self.current}:{token}"

    def decrypt(self, stored: str, purpose: str) -> str:
        """Decrypt a value written by encrypt(), with whichever key id it names."""
        kid, _, token = stored.partition(":")
        raw = _b64d(token)
        return AESGCM(self.keys[kid]).decrypt(raw[:12], raw[12:], purpose.encode()).decode()

    def key_id(self, stored: str) -> str:
        """The key id a stored value was sealed with."""
        return stored.partition(":")[0]

    def blind_index(self, value: str, purpose: str) -> str:
        """Deterministic keyed hash for equality look-ups without storing the value."""
        key = hmac.new(self._index_key, purpose.encode(), hashlib.sha256).digest()
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
