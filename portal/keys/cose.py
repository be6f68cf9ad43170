"""COSE_Sign1 (RFC 9052) with ES256 only: encode, decode with a strict header policy, verify.

Header policy (why: the header decides which key and algorithm are trusted):
- alg must be ES256 (-7) and is read from the protected header only;
- kid (4) and typ (16) are read from the protected header only;
- crit (2) may only list labels this module understands, and only in the protected header;
- no label may appear in both header maps; the protected map must re-encode to its own
  bytes, which rejects duplicate labels that two parsers could resolve differently.
A CWT may arrive wrapped in the CWT tag 61 (RFC 8392); the tag 18 inside is required.
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from . import cbor, es256
from .errors import Denied, malformed

TAG_SIGN1 = 18
TAG_CWT = 61
HDR_ALG, HDR_CRIT, HDR_KID, HDR_TYP = 1, 2, 4, 16
ALG_ES256 = -7
UNDERSTOOD_CRIT = frozenset({HDR_TYP})
_TOP_TAGS = frozenset({TAG_SIGN1, TAG_CWT})
# "Signature1" context string of the Sig_structure, pre-encoded: array(4), tstr(10).
_SIG1_PREFIX = b"\x84\x6aSignature1"
_EMPTY_BSTR = b"\x40"
_SIGN1_HEAD = b"\xd2\x84"
# Protected headers seen before, by their exact bytes: one issuer sends the same few, and
# parsing them again would repeat a scan, a decode and a re-encode on every door opening.
_HEADER_CACHE: dict[bytes, MappingProxyType] = {}
_HEADER_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class Sign1:
    """A decoded, not yet verified COSE_Sign1 message."""

    protected: bytes
    headers: MappingProxyType
    payload: bytes
    signature: bytes

    @property
    def kid(self) -> bytes | None:
        """The protected kid, or None."""
        return self.headers.get(HDR_KID)

    @property
    def typ(self) -> str | None:
        """The protected typ (RFC 9596), or None."""
        return self.headers.get(HDR_TYP)


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """Return the bytes ES256 signs: Sig_structure ["Signature1", protected, h'', payload]."""
    # Built by concatenation: the same bytes cbor2 would produce, without a round trip.
    return (
        _SIG1_PREFIX
        + cbor.bstr_head(len(protected))
        + protected
        + _EMPTY_BSTR
        + cbor.bstr_head(len(payload))
        + payload
    )


def sign1(
    private_key: ec.EllipticCurvePrivateKey,
    payload: bytes,
    kid: bytes | None = None,
    typ: str | None = None,
) -> bytes:
    """Return a tagged COSE_Sign1 over `payload`, with alg (and kid, typ) protected."""
    protected = _encoded_headers(kid, typ)
    signature = es256.sign_raw(private_key, sig_structure(protected, payload))
    # tag 18, array(4), protected bstr, empty map, payload bstr, 64-byte signature bstr
    return (
        _SIGN1_HEAD
        + cbor.bstr_head(len(protected))
        + protected
        + b"\xa0"
        + cbor.bstr_head(len(payload))
        + payload
        + b"\x58\x40"
        + signature
    )


@lru_cache(maxsize=64)
def _encoded_headers(kid: bytes | None, typ: str | None) -> bytes:
    headers: dict[int, object] = {HDR_ALG: ALG_ES256}
    if kid is not None:
        headers[HDR_KID] = kid
    if typ is not None:
        headers[HDR_TYP] = typ
    return cbor2.dumps(headers)


def decode_sign1(data: bytes, limit: int) -> Sign1:
    """Decode a COSE_Sign1 and apply the header policy; Denied("malformed") on any breach."""
    obj = cbor.decode(data, limit, _TOP_TAGS)
    if type(obj) is cbor2.CBORTag and obj.tag == TAG_CWT:
        obj = obj.value
    if type(obj) is not cbor2.CBORTag or obj.tag != TAG_SIGN1:
        raise malformed()
    parts = obj.value
    if type(parts) is not list or len(parts) != 4:
        raise malformed()
    protected, unprotected, payload, signature = parts
    if (
        type(protected) is not bytes
        or type(unprotected) is not dict
        or type(payload) is not bytes
        or type(signature) is not bytes
    ):
        raise malformed()
    headers = _HEADER_CACHE.get(protected)
    if headers is None:
        headers = _protected_headers(protected)
        if len(_HEADER_CACHE) >= _HEADER_CACHE_SIZE:
            _HEADER_CACHE.clear()
        _HEADER_CACHE[protected] = headers
    if HDR_CRIT in unprotected or not headers.keys().isdisjoint(unprotected.keys()):
        raise malformed()
    return Sign1(protected, headers, payload, signature)


def _protected_headers(protected: bytes) -> MappingProxyType:
    headers = cbor.decode(protected, cbor.MAX_HEADER_SIZE)
    if type(headers) is not dict or cbor2.dumps(headers) != protected:
        raise malformed()
    alg = headers.get(HDR_ALG)
    if type(alg) is not int or alg != ALG_ES256:
        raise malformed()
    kid = headers.get(HDR_KID)
    if kid is not None and (type(kid) is not bytes or not kid):
        raise malformed()
    typ = headers.get(HDR_TYP)
    if typ is not None and type(typ) is not str:
        raise malformed()
    if HDR_CRIT in headers:
        crit = headers[HDR_CRIT]
        if type(crit) is not list or not crit:
            raise malformed()
        for label in crit:
            # Critical means "reject unless you understand it": we understand only typ.
            if type(label) is not int or label not in UNDERSTOOD_CRIT or label not in headers:
                raise malformed()
    return MappingProxyType(headers)  # read-only: the parsed headers are cached and shared


def verify_sign1(message: Sign1, public_key: ec.EllipticCurvePublicKey) -> None:
    """Raise Denied("bad_signature") unless the ES256 signature over the message is valid."""
    if not es256.verify_raw(
        public_key, sig_structure(message.protected, message.payload), message.signature
    ):
        raise Denied("bad_signature")
