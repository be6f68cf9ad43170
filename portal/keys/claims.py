"""Shift-key claims (a CWT, RFC 8392, with RFC 8747 proof-of-possession) and their parsing."""

from dataclasses import dataclass
from datetime import datetime

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from . import cbor, cose, cose_key
from .errors import malformed
from .times import from_epoch, is_time

ISS, SUB, EXP, NBF, IAT, CTI, CNF = 1, 2, 4, 5, 6, 7, 8
CNF_COSE_KEY = 1
# Private claims must use integer keys below -65536 (RFC 8392 section 9.1).
CLAIM_LOCKS = -65537
CLAIM_BULLETIN_SEQ = -65538
CTI_SIZE = 16
MAX_TEXT = 256
UINT32_MAX = 0xFFFFFFFF


@dataclass(frozen=True, slots=True, eq=False)
class ShiftKey:
    """The claims of a shift key, as parsed (trusted only once a lock has verified them)."""

    iss: str
    sub: str
    kid: bytes | None
    cti: bytes
    locks: tuple[int, ...]
    nbf: int
    exp: int
    iat: int
    bulletin_seq: int
    device_key: ec.EllipticCurvePublicKey
    device_thumbprint: bytes

    @property
    def not_before(self) -> datetime:
        """Start of the shift (nbf) as an aware UTC datetime."""
        return from_epoch(self.nbf)

    @property
    def expires(self) -> datetime:
        """End of the shift (exp) as an aware UTC datetime."""
        return from_epoch(self.exp)

    @property
    def issued_at(self) -> datetime:
        """Issue time (iat) as an aware UTC datetime."""
        return from_epoch(self.iat)


def encode_claims(
    *,
    iss: str,
    sub: str,
    device_key: ec.EllipticCurvePublicKey,
    locks: list[int],
    nbf: int,
    exp: int,
    iat: int,
    cti: bytes,
    bulletin_seq: int,
) -> bytes:
    """Return the CBOR claims map of a shift key (no policy checks: the issuer does those)."""
    claims = {
        ISS: iss,
        SUB: sub,
        EXP: exp,
        NBF: nbf,
        IAT: iat,
        CTI: cti,
        CNF: {CNF_COSE_KEY: cose_key.encode_cose_key(device_key)},
        CLAIM_LOCKS: list(locks),
        CLAIM_BULLETIN_SEQ: bulletin_seq,
    }
    return cbor2.dumps(claims)


def parse_claims(claims: object, kid: bytes | None) -> ShiftKey:
    """Check types and ranges of a decoded claims map; Denied("malformed") on any breach."""
    if type(claims) is not dict:
        raise malformed()
    iss, sub, cti = claims.get(ISS), claims.get(SUB), claims.get(CTI)
    nbf, exp, iat = claims.get(NBF), claims.get(EXP), claims.get(IAT)
    locks, seq, cnf = claims.get(CLAIM_LOCKS), claims.get(CLAIM_BULLETIN_SEQ), claims.get(CNF)
    if not (
        _is_text(iss)
        and _is_text(sub)
        and type(cti) is bytes
        and len(cti) == CTI_SIZE
        and is_time(nbf)
        and is_time(exp)
        and is_time(iat)
        and nbf < exp
        and cbor.is_uint(seq)
        and type(locks) is list
        and locks
        # set(map(type, ...)) runs in C; `is int` also keeps bools out.
        and set(map(type, locks)) == {int}
        and min(locks) >= 0
        and max(locks) <= UINT32_MAX
        and type(cnf) is dict
    ):
        raise malformed()
    device_key, device_thumbprint = cose_key.parse_cose_key(cnf.get(CNF_COSE_KEY))
    return ShiftKey(
        iss, sub, kid, cti, tuple(locks), nbf, exp, iat, seq, device_key, device_thumbprint
    )


def read_shift_key(data: bytes) -> ShiftKey:
    """Parse a shift key without verifying it (for display and look-ups, never for trust)."""
    message = cose.decode_sign1(data, cbor.MAX_KEY_SIZE)
    if message.typ is not None:
        raise malformed()  # bulletins, beacons and events carry a typ; shift keys do not
    return parse_claims(cbor.decode(message.payload, cbor.MAX_KEY_SIZE), message.kid)


def _is_text(value: object) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_TEXT
