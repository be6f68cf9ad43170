"""P-256 public keys as COSE_Key maps (RFC 9052/9053) and their thumbprints (RFC 9679)."""

import hashlib

from cryptography.hazmat.primitives.asymmetric import ec

from . import es256
from .errors import malformed

KTY, ALG, CRV, X, Y = 1, 3, -1, -2, -3
KTY_EC2, CRV_P256, ALG_ES256 = 2, 1, -7

# Deterministic CBOR (RFC 8949 4.2.1) of {1: 2, -1: 1, -2: x, -3: y}: keys sort by their
# encoded bytes (0x01, 0x20, 0x21, 0x22) and each coordinate is a 32-byte bstr (0x58 0x20).
_THUMB_PREFIX = bytes.fromhex("a4010220012158 20".replace(" ", ""))
_THUMB_MIDDLE = bytes.fromhex("225820")
# A lock meets the same few phones all day: keep their parsed keys rather than re-validate
# the curve point on every door opening.
_POINT_CACHE: dict[bytes, tuple[ec.EllipticCurvePublicKey, bytes]] = {}
_POINT_CACHE_SIZE = 256


def encode_cose_key(public_key: ec.EllipticCurvePublicKey) -> dict[int, object]:
    """Return the COSE_Key map (only the members RFC 9679 requires) of a P-256 public key."""
    point = es256.point_bytes(public_key)
    return {KTY: KTY_EC2, CRV: CRV_P256, X: point[1:33], Y: point[33:]}


def parse_cose_key(obj: object) -> tuple[ec.EllipticCurvePublicKey, bytes]:
    """Return (public key, thumbprint) for a P-256 COSE_Key map; Denied("malformed") otherwise."""
    if type(obj) is not dict:
        raise malformed()
    x, y = obj.get(X), obj.get(Y)
    if (
        obj.get(KTY) != KTY_EC2
        or type(obj.get(KTY)) is not int
        or obj.get(CRV) != CRV_P256
        or type(obj.get(CRV)) is not int
        or obj.get(ALG, ALG_ES256) != ALG_ES256
        or type(x) is not bytes
        or type(y) is not bytes
        or len(x) != 32
        or len(y) != 32
    ):
        raise malformed()
    point = b"\x04" + x + y
    cached = _POINT_CACHE.get(point)
    if cached is None:
        try:
            key = es256.public_key_from_point(point)
        except ValueError:
            raise malformed() from None  # not a point on P-256
        if len(_POINT_CACHE) >= _POINT_CACHE_SIZE:
            _POINT_CACHE.clear()
        cached = _POINT_CACHE[point] = (key, thumbprint_xy(x, y))
    return cached


def thumbprint_xy(x: bytes, y: bytes) -> bytes:
    """Return the RFC 9679 SHA-256 thumbprint of a P-256 key given its coordinates."""
    return hashlib.sha256(_THUMB_PREFIX + x + _THUMB_MIDDLE + y).digest()


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Return the RFC 9679 COSE key thumbprint (SHA-256) of a P-256 public key."""
    if not es256.is_p256_public(public_key):
        raise ValueError("thumbprint needs a P-256 public key")
    point = es256.point_bytes(public_key)
    return thumbprint_xy(point[1:33], point[33:])
