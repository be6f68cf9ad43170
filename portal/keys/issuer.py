"""The portal's signing side: shift keys, revocation bulletins, time beacons, trust anchors."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec

from . import bulletin as bulletins
from . import cbor, claims, cose, es256
from .times import MAX_LIFETIME_S, to_epoch

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class TrustAnchor:
    """What a lock is provisioned with to trust an issuer key; `until` ends that trust."""

    iss: str
    kid: bytes
    public_key: ec.EllipticCurvePublicKey
    until: datetime | None = None


def _kid_bytes(kid: bytes | str) -> bytes:
    if isinstance(kid, str):
        kid = kid.encode("utf-8")
    if not isinstance(kid, bytes) or not kid:
        raise ValueError("kid must be non-empty bytes or text")
    return bytes(kid)


class Issuer:
    """Signs shift keys, bulletins and beacons with one ES256 key named by `kid`."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        iss: str,
        kid: bytes | str,
        clock: Clock | None = None,
    ):
        if not es256.is_p256_private(private_key):
            raise ValueError("issuer keys are P-256")
        if not isinstance(iss, str) or not 0 < len(iss) <= claims.MAX_TEXT:
            raise ValueError("iss must be non-empty text")
        self._private_key = private_key
        self.iss = iss
        self.kid = _kid_bytes(kid)
        self.public_key = private_key.public_key()
        # No hidden wall clock: the portal passes its own clock (or `issued_at`), so a test or
        # a replay that sets the time sets it for the keys too.
        self._clock = clock

    @classmethod
    def generate(cls, iss: str, kid: bytes | str, clock: Clock | None = None) -> "Issuer":
        """Create an issuer with a fresh P-256 key."""
        return cls(es256.generate_private_key(), iss, kid, clock)

    @classmethod
    def from_pem(
        cls, pem: str | bytes, iss: str, kid: bytes | str, password: bytes | None = None
    ) -> "Issuer":
        """Create an issuer from a PEM private key (as stored in the instance folder)."""
        return cls(es256.private_key_from_pem(pem, password), iss, kid)

    def to_pem(self, password: bytes | None = None) -> str:
        """Return the private key as PKCS#8 PEM, encrypted when a password is given."""
        return es256.private_key_to_pem(self._private_key, password)

    def trust_anchor(self, until: datetime | None = None) -> TrustAnchor:
        """Return the anchor a lock needs to trust this issuer key (optionally until a time)."""
        if until is not None:
            to_epoch(until)  # refuse naive datetimes early
        return TrustAnchor(self.iss, self.kid, self.public_key, until)

    def issue_shift_key(
        self,
        sub: str,
        device_key: ec.EllipticCurvePublicKey,
        locks: Iterable[int],
        not_before: datetime,
        expires: datetime,
        bulletin_seq: int = 0,
        *,
        issued_at: datetime | None = None,
    ) -> bytes:
        """Return a shift key (CWT in COSE_Sign1) for `sub` on `device_key` for `locks`."""
        if not isinstance(sub, str) or not 0 < len(sub) <= claims.MAX_TEXT:
            raise ValueError("sub must be non-empty text (a staff id, never a national id)")
        if not es256.is_p256_public(device_key):
            raise ValueError("device_key must be a P-256 public key")
        lock_ids = list(dict.fromkeys(locks))  # drop duplicates, keep order
        if not lock_ids or not all(
            type(v) is int and 0 <= v <= claims.UINT32_MAX for v in lock_ids
        ):
            raise ValueError("locks must be a non-empty list of uint32 lock ids")
        nbf, exp = to_epoch(not_before), to_epoch(expires)
        if not 0 < exp - nbf <= MAX_LIFETIME_S:
            raise ValueError("a shift key lasts more than 0 and at most 10 hours")
        if not cbor.is_uint(bulletin_seq):
            raise ValueError("bulletin_seq must be a non-negative int")
        if issued_at is None:
            if self._clock is None:
                raise ValueError("issued_at is needed when the issuer has no clock")
            issued_at = self._clock()
        payload = claims.encode_claims(
            iss=self.iss,
            sub=sub,
            device_key=device_key,
            locks=lock_ids,
            nbf=nbf,
            exp=exp,
            iat=to_epoch(issued_at),
            cti=os.urandom(claims.CTI_SIZE),
            bulletin_seq=bulletin_seq,
        )
        token = cose.sign1(self._private_key, payload, kid=self.kid)
        if len(token) > cbor.MAX_KEY_SIZE:
            raise ValueError("too many locks for one shift key")
        return token

    def bulletin(
        self,
        seq: int,
        entries: Iterable[tuple[str, bytes | str, datetime]],
        issued_at: datetime,
        retire: Iterable[tuple[bytes | str, datetime]] = (),
    ) -> bytes:
        """Return a signed revocation bulletin: the full list of revocations in force."""
        # Each entry is (kind, value, until) with kind "cti" (16 bytes), "device" (a phone
        # thumbprint) or "sub" (a staff id). `retire` lists (kid, until): issuer keys the
        # locks must stop trusting at `until` (see the rotation notes in portal.keys).
        if not cbor.is_uint(seq):
            raise ValueError("seq must be a non-negative int")
        coded = []
        for kind, value, until in entries:
            code = bulletins.KIND_CODES.get(kind)
            if code is None or not bulletins.valid_entry_value(code, value):
                raise ValueError(f"bad bulletin entry {kind!r}: {value!r}")
            coded.append((code, value, to_epoch(until)))
        retired = [(_kid_bytes(kid), to_epoch(until)) for kid, until in retire]
        payload = bulletins.encode_bulletin(self.iss, seq, to_epoch(issued_at), coded, retired)
        message = cose.sign1(self._private_key, payload, kid=self.kid, typ=bulletins.BULLETIN_TYP)
        if len(message) > cbor.MAX_BULLETIN_SIZE:
            raise ValueError("bulletin too large: prune entries whose until has passed")
        return message

    def time_beacon(self, seq: int, at: datetime) -> bytes:
        """Return a signed time beacon: locks move their time floor up to `at`."""
        if not cbor.is_uint(seq):
            raise ValueError("seq must be a non-negative int")
        payload = bulletins.encode_beacon(self.iss, seq, to_epoch(at))
        return cose.sign1(self._private_key, payload, kid=self.kid, typ=bulletins.BEACON_TYP)
