"""Reference model of a staff phone: holds the device key and answers a lock's challenge."""

from cryptography.hazmat.primitives.asymmetric import ec

from . import bulletin as bulletins
from . import cose_key, es256, protocol
from .errors import Denied


class Phone:
    """A phone with a P-256 device key (in real life inside secure hardware)."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey):
        if not es256.is_p256_private(private_key):
            raise ValueError("device keys are P-256")
        self.private_key = private_key
        self.public_key = private_key.public_key()
        self.thumbprint = cose_key.thumbprint(self.public_key)

    @classmethod
    def generate(cls) -> "Phone":
        """Create a phone with a fresh device key."""
        return cls(es256.generate_private_key())

    def answer(
        self,
        challenge: bytes,
        shift_key: bytes,
        action: str = "open",
        bulletin: bytes | None = None,
        beacon: bytes | None = None,
    ) -> bytes:
        """Return the answer to a lock's challenge: the key plus a device proof."""
        # The bulletin travels only if it is newer than the lock's, the beacon only if it is
        # ahead of the lock's time: both keep the BLE exchange short.
        try:
            ch = protocol.parse_challenge(challenge)
        except Denied:
            raise ValueError("not a lock challenge") from None
        if action not in protocol.ACTIONS:
            raise ValueError(f"action must be one of {protocol.ACTIONS}")
        if bulletin is not None and _bulletin_seq(bulletin) <= ch.bulletin_seq:
            bulletin = None
        if beacon is not None and _beacon_at(beacon) <= ch.time:
            beacon = None
        payload = protocol.device_proof_payload(ch.lock_id, ch.nonce, action, shift_key)
        proof = es256.sign_raw(self.private_key, payload)
        return protocol.encode_answer(
            protocol.Answer(shift_key, ch.nonce, action, proof, bulletin, beacon)
        )


def _bulletin_seq(data: bytes) -> int:
    try:
        return bulletins.read_bulletin(data).seq
    except Denied:
        return 1 << 64  # cannot tell: pass it on and let the lock judge it


def _beacon_at(data: bytes) -> int:
    try:
        return bulletins.read_beacon(data).at
    except Denied:
        return 1 << 64
