"""Offline door keys: shift keys, the door protocol, and reference models of phone and lock.

Only the standard library, `cryptography` and `cbor2` (>= 5.9, < 6) are used here; this
package never imports flask or sqlalchemy, so lock firmware tests and the portal share it.

Formats (all ES256; COSE_Sign1 is tag 18 with alg -7 in the protected header):
- Shift key: a CWT (RFC 8392) in COSE_Sign1, kid protected, no typ. Claims iss(1), sub(2),
  exp(4), nbf(5), iat(6), cti(7, 16 bytes), cnf(8) = {1: COSE_Key of the phone} (RFC 8747),
  -65537 = [lock ids, uint32], -65538 = bulletin sequence current at issue. It verifies
  with any COSE implementation given the issuer's public key (the tests use python-cwt).
- Challenge (lock -> phone): [lock id, nonce (16 bytes), lock time, bulletin seq, battery].
- Answer (phone -> lock): [shift key, nonce, action, proof, bulletin / null, beacon / null];
  proof is ES256 r||s by the device key over the CBOR array
  ["open-v1", lock id, nonce, action, SHA-256(shift key bytes)].
- Bulletin: COSE_Sign1 by an issuer key, typ "application/kc-bulletin+cbor", payload
  {1: iss, 2: seq, 3: issued_at, 4: [[kind, value, until], ...], 5: [[kid, until], ...]}
  with kind 1 = cti, 2 = device thumbprint (RFC 9679), 3 = staff id (sub).
- Beacon: COSE_Sign1, typ "application/kc-beacon+cbor", payload {1: iss, 2: seq, 3: at}.
- Event: COSE_Sign1 by the lock key, typ "application/kc-event+cbor", payload {1: lock id,
  2: counter, 3: time, 4: action, 5: result, 6: battery, 7: sub, 8: cti, 9: device}.
  Times are NumericDates (whole seconds, UTC).

Lock policy, in the order it is checked: the answer must parse (malformed); its nonce must be
outstanding, at most CHALLENGE_TTL_S old, and is burnt whatever follows (replayed_nonce); an
attached bulletin or beacon is applied (a bad one denies the whole answer); the key must be
signed by a trusted anchor named by its protected kid, with the anchor's iss
(bad_signature, unknown_issuer); exp - nbf <= 10 h (lifetime_too_long); nbf and exp with
5 minutes' leeway against max(clock, floor) (not_yet_valid, expired); the lock's id in the key
(wrong_lock); no bulletin entry for its cti, device thumbprint or sub, and the lock has seen
the key's bulletin sequence (revoked); the device proof (bad_device_proof). Every verdict is
logged as a signed event; sub, cti and device appear only once the key proved authentic.

Time: the floor rises to the iat of every authentic key, a bulletin's issued_at and a beacon's
at, and never falls. Revocation entries and retired anchors are ignored once the effective
time passes them, but forgotten only once the floor (signed time) does, so winding a clock
forward and back revives nothing. A revocation entry holds until `until` plus the leeway.

Issuer key rotation: locks are provisioned with the current and the next issuer key (several
trust anchors, each with an optional `until`). To rotate at time R the portal starts signing
with the next key and publishes a bulletin, signed by it, that retires the old kid at
R + 10 h (the longest a key issued before R can live). Keys carry the bulletin sequence
current when they were issued and a lock refuses a key whose sequence it has not seen, so the
first phone with a new key brings the retirement along. Until the retirement time old keys
stay valid; after it, or for any key whose exp lies beyond its anchor's until, the old kid is
unknown_issuer. Retirements only shorten trust, so an older bulletin cannot extend it.
A fresh "next" key reaches a lock only by re-provisioning (a service visit); a bulletin never
adds an anchor, so one stolen issuer key cannot install another.
"""

from .bulletin import Beacon, Bulletin, read_beacon, read_bulletin
from .claims import ShiftKey, read_shift_key
from .cose_key import thumbprint
from .errors import DENIAL_REASONS, Denied
from .es256 import (
    private_key_from_pem,
    private_key_to_pem,
    public_key_from_pem_or_base64,
    public_key_to_pem,
    sign_request,
    verify_request,
)
from .events import LockEvent, read_event, verify_event
from .issuer import Issuer, TrustAnchor
from .lock import CHALLENGE_TTL_S, Lock
from .phone import Phone
from .protocol import ACTIONS, device_proof_payload
from .times import LEEWAY, MAX_LIFETIME

__all__ = [
    "ACTIONS",
    "CHALLENGE_TTL_S",
    "DENIAL_REASONS",
    "LEEWAY",
    "MAX_LIFETIME",
    "Beacon",
    "Bulletin",
    "Denied",
    "Issuer",
    "Lock",
    "LockEvent",
    "Phone",
    "ShiftKey",
    "TrustAnchor",
    "device_proof_payload",
    "private_key_from_pem",
    "private_key_to_pem",
    "public_key_from_pem_or_base64",
    "public_key_to_pem",
    "read_beacon",
    "read_bulletin",
    "read_event",
    "read_shift_key",
    "sign_request",
    "thumbprint",
    "verify_event",
    "verify_request",
]
