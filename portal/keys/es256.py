"""ES256 (ECDSA P-256 with SHA-256) with COSE's raw r||s signatures, and key (de)serialisation.

cryptography speaks DER signatures; COSE and the field API use the fixed 64-byte r||s form,
so every conversion happens here and nowhere else.
"""

import base64
import binascii

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

CURVE = ec.SECP256R1()
_ECDSA = ec.ECDSA(hashes.SHA256())
# Group order of P-256: r and s must lie in [1, n-1].
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
SIGNATURE_SIZE = 64


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    """Return a new P-256 private key."""
    return ec.generate_private_key(CURVE)


def is_p256_public(key: object) -> bool:
    """True if `key` is a P-256 public key object."""
    return isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)


def is_p256_private(key: object) -> bool:
    """True if `key` is a P-256 private key object."""
    return isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)


def sign_raw(private_key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """Sign `data` with ES256 and return the 64-byte r||s signature."""
    r, s = decode_dss_signature(private_key.sign(data, _ECDSA))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_raw(public_key: ec.EllipticCurvePublicKey, data: bytes, signature: bytes) -> bool:
    """True if `signature` is a valid 64-byte r||s ES256 signature of `data`."""
    if type(signature) is not bytes or len(signature) != SIGNATURE_SIZE:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < _N and 0 < s < _N):
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), data, _ECDSA)
    except InvalidSignature:
        return False
    return True


def sign_request(private_key: ec.EllipticCurvePrivateKey, payload: bytes) -> bytes:
    """Sign a field API request body (raw r||s ES256 over the exact bytes)."""
    return sign_raw(private_key, payload)


def verify_request(public_key: ec.EllipticCurvePublicKey, payload: bytes, signature: bytes) -> bool:
    """True if `signature` is the device's ES256 r||s signature over `payload`."""
    if not isinstance(payload, bytes | bytearray):
        return False
    return verify_raw(public_key, bytes(payload), signature)


def point_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Return the 65-byte uncompressed SEC1 point of a public key."""
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def public_key_from_point(point: bytes) -> ec.EllipticCurvePublicKey:
    """Load a 65-byte uncompressed P-256 point; ValueError if it is not on the curve."""
    if type(point) is not bytes or len(point) != 65 or point[0] != 4:
        raise ValueError("expected a 65-byte uncompressed P-256 point")
    return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, point)


def public_key_from_pem_or_base64(text: str | bytes) -> ec.EllipticCurvePublicKey:
    """Load a P-256 public key from PEM SPKI, base64 DER SPKI or base64 of the raw point."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise ValueError("public key text must be ASCII") from None
    if not isinstance(text, str):
        raise ValueError("public key must be text")
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
        else:
            raw = _b64decode(text)
            if len(raw) == 65 and raw[0] == 4:
                key = public_key_from_point(raw)
            else:
                key = serialization.load_der_public_key(raw)
    except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise ValueError("not a valid P-256 public key") from None
    if not is_p256_public(key):
        raise ValueError("not a P-256 public key")
    return key


def _b64decode(text: str) -> bytes:
    # Accept both alphabets and missing padding: phones and admins paste either.
    compact = "".join(text.split()).replace("-", "+").replace("_", "/")
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None


def public_key_to_pem(key: ec.EllipticCurvePublicKey) -> str:
    """Return the PEM SubjectPublicKeyInfo of a public key."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_key_to_pem(key: ec.EllipticCurvePrivateKey, password: bytes | None = None) -> str:
    """Return a PKCS#8 PEM of a private key, encrypted when a password is given."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode("ascii")


def private_key_from_pem(
    text: str | bytes, password: bytes | None = None
) -> ec.EllipticCurvePrivateKey:
    """Load a P-256 private key from PEM; ValueError for anything else."""
    data = text.encode("ascii") if isinstance(text, str) else text
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ValueError(f"not a usable private key: {exc}") from None
    if not is_p256_private(key):
        raise ValueError("not a P-256 private key")
    return key
