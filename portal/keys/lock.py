"""Reference model of a door lock: issues challenges, judges answers, logs signed events."""

import os
from collections.abc import Callable, Iterable
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec

from . import bulletin as bulletins
from . import cbor, claims, cose, es256, events, protocol
from .errors import Denied, malformed
from .issuer import TrustAnchor
from .times import LEEWAY_S, MAX_LIFETIME_S, from_epoch, to_epoch

CHALLENGE_TTL_S = 120
MAX_OUTSTANDING = 4


class _Anchor:
    __slots__ = ("iss", "public_key", "until")

    def __init__(self, iss: str, public_key: ec.EllipticCurvePublicKey, until: int | None):
        self.iss, self.public_key, self.until = iss, public_key, until


class _Attempt:
    # What the event of this attempt may say; `key` is set only once the key is authentic.
    __slots__ = ("action", "key")

    def __init__(self) -> None:
        self.action: str | None = None
        self.key: claims.ShiftKey | None = None


class Lock:
    """A lock that trusts some issuer keys and keeps a time floor, revocations and a log."""

    def __init__(
        self,
        lock_id: int,
        private_key: ec.EllipticCurvePrivateKey,
        trust_anchors: Iterable[TrustAnchor],
        clock: Callable[[], datetime],
    ):
        if not cbor.is_uint(lock_id, 32):
            raise ValueError("lock ids are uint32")
        if not es256.is_p256_private(private_key):
            raise ValueError("lock keys are P-256")
        self.lock_id = lock_id
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self._clock = clock
        # Parsed once: a kid look-up is all a verify needs.
        self._anchors: dict[bytes, _Anchor] = {}
        for anchor in trust_anchors:
            if anchor.kid in self._anchors or not es256.is_p256_public(anchor.public_key):
                raise ValueError("trust anchors need distinct kids and P-256 keys")
            until = None if anchor.until is None else to_epoch(anchor.until)
            self._anchors[anchor.kid] = _Anchor(anchor.iss, anchor.public_key, until)
        if not self._anchors:
            raise ValueError("a lock needs at least one trust anchor")
        self._floor = 0
        self.bulletin_seq = 0
        self.beacon_seq = 0
        self._revoked: dict[tuple[int, bytes | str], int] = {}
        self._nonces: dict[bytes, int] = {}
        self._events: list[bytes] = []
        self._counter = 0
        self._battery = 100

    @classmethod
    def provision(
        cls,
        lock_id: int,
        trust_anchors: Iterable[TrustAnchor],
        clock: Callable[[], datetime],
        private_key: ec.EllipticCurvePrivateKey | None = None,
    ) -> "Lock":
        """Set up a lock as the locksmith does: its id, a fresh key pair, the anchors."""
        return cls(lock_id, private_key or es256.generate_private_key(), trust_anchors, clock)

    @property
    def battery(self) -> int:
        """Battery charge in percent."""
        return self._battery

    @battery.setter
    def battery(self, percent: int) -> None:
        """Set the charge (tests and the simulator drain it)."""
        if type(percent) is not int or not 0 <= percent <= 100:
            raise ValueError("battery is a percentage")
        self._battery = percent

    @property
    def floor(self) -> datetime:
        """The time floor: the newest signed time the lock has seen."""
        return from_epoch(self._floor)

    def now(self) -> datetime:
        """The lock's effective time: its clock, but never below the floor."""
        return from_epoch(self._now())

    def _now(self) -> int:
        return max(to_epoch(self._clock()), self._floor)

    @property
    def trusted_kids(self) -> list[bytes]:
        """Kids of the issuer keys the lock trusts right now."""
        now = self._now()
        return [k for k, a in self._anchors.items() if a.until is None or now < a.until]

    @property
    def revocations(self) -> list[tuple[str, bytes | str, datetime]]:
        """Revocation entries in force: (kind, value, until)."""
        now = self._now()
        return [
            (bulletins.KIND_NAMES[kind], value, from_epoch(until))
            for (kind, value), until in self._revoked.items()
            if now < until + LEEWAY_S
        ]

    def events(self) -> list[bytes]:
        """The signed events logged so far, oldest first."""
        return list(self._events)

    def challenge(self) -> bytes:
        """Return a fresh challenge; its nonce is valid once, for CHALLENGE_TTL_S seconds."""
        now = self._now()
        nonce = os.urandom(protocol.NONCE_SIZE)
        self._nonces[nonce] = now
        while len(self._nonces) > MAX_OUTSTANDING:
            del self._nonces[next(iter(self._nonces))]  # dicts keep order: oldest first
        ch = protocol.Challenge(self.lock_id, nonce, now, self.bulletin_seq, self._battery)
        return protocol.encode_challenge(ch)

    def verify(self, answer: bytes) -> bytes:
        """Judge an answer; return the signed event, or log the denial and raise Denied."""
        attempt = _Attempt()
        try:
            self._judge(answer, attempt)
        except Denied as denied:
            self._log(attempt, denied.reason)
            raise
        return self._log(attempt, "ok")

    def _judge(self, data: bytes, attempt: _Attempt) -> None:
        answer = protocol.parse_answer(data)
        attempt.action = "close" if answer.action == "lock" else answer.action
        # Popped before anything else is checked: every attempt burns its challenge.
        issued = self._nonces.pop(answer.nonce, None)
        if issued is None or self._now() - issued > CHALLENGE_TTL_S:
            raise Denied("replayed_nonce")
        if answer.bulletin is not None:
            self.receive_bulletin(answer.bulletin)
        if answer.beacon is not None:
            self.receive_beacon(answer.beacon)
        key = self._open_key(answer.shift_key)
        attempt.key = key
        now = self._now()
        if key.exp - key.nbf > MAX_LIFETIME_S:
            raise Denied("lifetime_too_long")
        if now + LEEWAY_S < key.nbf:
            raise Denied("not_yet_valid")
        if now >= key.exp + LEEWAY_S:
            raise Denied("expired")
        if self.lock_id not in key.locks:
            raise Denied("wrong_lock")
        if self._is_revoked(key, now):
            raise Denied("revoked")
        payload = protocol.device_proof_payload(
            self.lock_id, answer.nonce, answer.action, answer.shift_key
        )
        if not es256.verify_raw(key.device_key, payload, answer.proof):
            raise Denied("bad_device_proof")

    def _open_key(self, data: bytes) -> claims.ShiftKey:
        message = cose.decode_sign1(data, cbor.MAX_KEY_SIZE)
        if message.typ is not None:
            raise malformed()
        anchor = self._verified_by(message)
        payload = cbor.decode_trusted(message.payload, cbor.MAX_KEY_SIZE)
        key = claims.parse_claims(payload, message.kid)
        if key.iss != anchor.iss:
            raise Denied("unknown_issuer")
        if anchor.until is not None and key.exp > anchor.until:
            raise Denied("unknown_issuer")  # a retiring key may not mint keys outliving it
        self._raise_floor(key.iat)
        return key

    def _verified_by(self, message: cose.Sign1) -> _Anchor:
        anchor = self._anchors.get(message.kid) if message.kid is not None else None
        if anchor is None or (anchor.until is not None and self._now() >= anchor.until):
            raise Denied("unknown_issuer")
        cose.verify_sign1(message, anchor.public_key)
        return anchor

    def _is_revoked(self, key: claims.ShiftKey, now: int) -> bool:
        # The key names the bulletin that was current when it was issued; until this lock has
        # seen that one it cannot rule out a revocation, so it refuses.
        if key.bulletin_seq > self.bulletin_seq:
            return True
        revoked = self._revoked
        if not revoked:
            return False
        for entry in ((1, key.cti), (2, key.device_thumbprint), (3, key.sub)):
            until = revoked.get(entry)
            if until is not None and now < until + LEEWAY_S:
                return True
        return False

    def receive_bulletin(self, data: bytes) -> bool:
        """Apply a revocation bulletin if authentic and newer; True if it was applied."""
        message = cose.decode_sign1(data, cbor.MAX_BULLETIN_SIZE)
        if message.typ != bulletins.BULLETIN_TYP:
            raise malformed()
        anchor = self._verified_by(message)
        payload = cbor.decode_trusted(message.payload, cbor.MAX_BULLETIN_SIZE)
        bulletin = bulletins.parse_bulletin(payload, message.kid)
        if bulletin.iss != anchor.iss:
            raise Denied("unknown_issuer")
        if bulletin.seq <= self.bulletin_seq:
            return False  # an older snapshot must never undo a newer one
        self.bulletin_seq = bulletin.seq
        self._raise_floor(bulletin.issued_at)
        # Filtered by the signed floor, not the clock (see _raise_floor).
        self._revoked = {
            (kind, value): until
            for kind, value, until in bulletin.entries
            if self._floor < until + LEEWAY_S
        }
        for kid, until in bulletin.retire:
            retiring = self._anchors.get(kid)
            if retiring is not None:
                # Retirement only ever shortens trust.
                retiring.until = until if retiring.until is None else min(retiring.until, until)
        self._prune()
        return True

    def receive_beacon(self, data: bytes) -> bool:
        """Apply a time beacon if authentic and newer; True if it was applied."""
        message = cose.decode_sign1(data, cbor.MAX_BEACON_SIZE)
        if message.typ != bulletins.BEACON_TYP:
            raise malformed()
        anchor = self._verified_by(message)
        payload = cbor.decode_trusted(message.payload, cbor.MAX_BEACON_SIZE)
        beacon = bulletins.parse_beacon(payload, message.kid)
        if beacon.iss != anchor.iss:
            raise Denied("unknown_issuer")
        if beacon.seq <= self.beacon_seq:
            return False
        self.beacon_seq = beacon.seq
        self._raise_floor(beacon.at)
        return True

    def _raise_floor(self, moment: int) -> None:
        if moment <= self._floor:
            return
        self._floor = moment
        self._prune()

    def _prune(self) -> None:
        # Forget only what signed time has left behind: the clock alone could be wound
        # forward, then back, to make the lock drop a revocation and revive a key.
        floor = self._floor
        self._revoked = {e: u for e, u in self._revoked.items() if floor < u + LEEWAY_S}
        for kid in [k for k, a in self._anchors.items() if a.until is not None]:
            if floor >= self._anchors[kid].until:
                del self._anchors[kid]

    def _log(self, attempt: _Attempt, result: str) -> bytes:
        self._counter += 1
        key = attempt.key
        event = events.sign_event(
            self._private_key,
            lock_id=self.lock_id,
            counter=self._counter,
            time=self._now(),
            action=attempt.action,
            result=result,
            battery=self._battery,
            sub=key.sub if key else None,
            cti=key.cti if key else None,
            device=key.device_thumbprint if key else None,
        )
        self._events.append(event)
        return event
