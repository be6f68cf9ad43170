"""Wire formats: standard CWT/COSE (checked with python-cwt), strict headers, bounded decoding."""

import ast
import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cbor2
import cwt
import pytest
from cwt import COSE, COSEKey

from portal.keys import (
    Denied,
    Issuer,
    Lock,
    cbor,
    claims,
    cose,
    cose_key,
    es256,
    public_key_to_pem,
    read_shift_key,
    thumbprint,
)

from .support import ISS, KID, LOCK_ID, T0, open_door, reason_of

KEYS_DIR = Path(__file__).resolve().parents[2] / "portal" / "keys"


def signed(private_key, protected: bytes, unprotected: dict, payload: bytes, tag: int = 18):
    """A COSE_Sign1 with whatever headers a test wants, validly signed."""
    signature = es256.sign_raw(private_key, cose.sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(tag, [protected, unprotected, payload, signature]))


def test_read_shift_key_returns_the_claims(key, phone):
    parsed = read_shift_key(key)
    assert (parsed.iss, parsed.sub, parsed.kid, parsed.bulletin_seq) == (ISS, "S-1001", KID, 0)
    assert parsed.locks[0] == LOCK_ID and len(parsed.locks) == 60
    assert (parsed.not_before, parsed.expires, parsed.issued_at) == (
        T0,
        T0 + timedelta(hours=8),
        T0,
    )
    assert len(parsed.cti) == 16 and parsed.device_thumbprint == phone.thumbprint
    assert len(key) < 600  # 60 lock ids fit a few BLE packets


def test_key_is_a_cwt_in_cose_sign1_with_alg_and_kid_protected(key, phone):
    message = cbor2.loads(key)
    assert message.tag == 18
    protected, unprotected, payload, signature = message.value
    assert cbor2.loads(protected) == {1: -7, 4: KID} and unprotected == {}
    assert len(signature) == 64
    claims_map = cbor2.loads(payload)
    assert set(claims_map) == {1, 2, 4, 5, 6, 7, 8, -65537, -65538}
    assert claims_map[8] == {1: cose_key.encode_cose_key(phone.public_key)}
    assert all(label < -65536 for label in claims_map if label < 0)


def test_python_cwt_verifies_a_shift_key_with_the_issuer_public_key(phone):
    now = datetime.now(UTC)
    issuer = Issuer.generate(ISS, KID, lambda: now)
    key = issuer.issue_shift_key(
        "S-1001",
        phone.public_key,
        [LOCK_ID, 7],
        now - timedelta(minutes=1),
        now + timedelta(hours=1),
    )
    public = COSEKey.from_pem(public_key_to_pem(issuer.public_key), kid=KID)
    decoded = cwt.decode(key, public)
    assert decoded[1] == ISS and decoded[2] == "S-1001"
    assert decoded[7] == read_shift_key(key).cti
    assert decoded[-65537] == [LOCK_ID, 7]
    confirmation = COSEKey.new(dict(decoded[8][1]))
    assert confirmation.to_dict()[-2] == es256.point_bytes(phone.public_key)[1:33]
    # ... and refuses it under another key or with one byte changed.
    other = COSEKey.from_pem(public_key_to_pem(Issuer.generate(ISS, KID).public_key), kid=KID)
    with pytest.raises(cwt.VerifyError):
        cwt.decode(key, other)
    tampered = bytearray(key)
    tampered[-70] ^= 1
    with pytest.raises(cwt.CWTError):
        cwt.decode(bytes(tampered), public)


def test_a_cose_sign1_made_by_python_cwt_opens_the_lock(lock, phone, issuer_key):
    payload = claims.encode_claims(
        iss=ISS,
        sub="S-1001",
        device_key=phone.public_key,
        locks=[LOCK_ID],
        nbf=int(T0.timestamp()),
        exp=int((T0 + timedelta(hours=8)).timestamp()),
        iat=int(T0.timestamp()),
        cti=os.urandom(16),
        bulletin_seq=0,
    )
    private = COSEKey.from_pem(es256.private_key_to_pem(issuer_key), kid=KID)
    token = COSE.new().encode_and_sign(payload, private, protected={1: -7, 4: KID})
    open_door(lock, phone, token)
    # CWT-tagged (61) as python-cwt's own encoder would wrap it: also accepted.
    open_door(lock, phone, cbor2.dumps(cbor2.CBORTag(61, cbor2.loads(token))))
    # python-cwt's CWT encoder puts the kid in the unprotected header, which we never read.
    unprotected_kid = cwt.encode(cbor2.loads(payload), private, tagged=True)
    with pytest.raises(Denied) as caught:
        open_door(lock, phone, unprotected_kid)
    assert caught.value.reason == "unknown_issuer"


@pytest.mark.parametrize(
    ("protected", "unprotected"),
    [
        ({4: KID}, {1: -7}),  # alg only where it is not protected
        ({1: -7, 4: KID}, {1: -7}),  # a label in both maps
        ({1: -35, 4: KID}, {}),  # not ES256
        ({1: "ES256", 4: KID}, {}),
        ({1: -7, 4: KID, 2: [99], 99: 1}, {}),  # a critical header we do not understand
        ({1: -7, 4: KID, 2: []}, {}),
        ({1: -7, 4: KID}, {2: [16]}),  # crit must be protected
        ({1: -7, 4: b""}, {}),
        ({1: -7, 4: "kbh-2026-1"}, {}),
    ],
)
def test_header_policy(protected, unprotected, issuer_key, key, lock, phone):
    payload = cbor2.loads(key).value[2]
    message = signed(issuer_key, cbor2.dumps(protected), unprotected, payload)
    assert reason_of(read_shift_key, message) == "malformed"
    assert reason_of(lock.verify, phone.answer(lock.challenge(), message)) in {
        "malformed",
        "unknown_issuer",
    }


def test_duplicate_labels_and_odd_encodings_of_the_protected_header(issuer_key, key):
    payload = cbor2.loads(key).value[2]
    kid = cbor2.dumps(KID)
    duplicate = b"\xa3\x01\x26\x04" + kid + b"\x01\x26"
    long_form = b"\xa2\x01\x38\x06\x04" + kid  # -7 in a two-byte head
    for protected in (duplicate, long_form, b"", b"\x40"):
        assert reason_of(read_shift_key, signed(issuer_key, protected, {}, payload)) == "malformed"


def test_understood_crit_is_accepted():
    private = es256.generate_private_key()
    protected = cbor2.dumps({1: -7, 16: "application/kc-beacon+cbor", 2: [16]})
    message = cose.decode_sign1(signed(private, protected, {}, b"\xa0"), 1024)
    assert message.typ == "application/kc-beacon+cbor"


@pytest.mark.parametrize("tag", [17, 98, 96])
def test_only_cose_sign1_is_accepted(tag, issuer_key, key):
    protected, _, payload, _ = cbor2.loads(key).value
    assert reason_of(read_shift_key, signed(issuer_key, protected, {}, payload, tag)) == "malformed"
    assert reason_of(read_shift_key, cbor2.dumps(cbor2.loads(key).value)) == "malformed"


def test_size_limit_is_checked_before_decoding(key, monkeypatch):
    assert reason_of(read_shift_key, key + b"\x00") == "malformed"  # trailing bytes
    assert reason_of(read_shift_key, b"\xd2" + b"\x84" * (cbor.MAX_KEY_SIZE + 1)) == "malformed"
    monkeypatch.setattr(cbor, "MAX_KEY_SIZE", len(key) - 1)
    assert reason_of(read_shift_key, key) == "malformed"


def test_issuer_refuses_a_key_too_big_for_the_limit(issuer, phone):
    with pytest.raises(ValueError):
        issuer.issue_shift_key(
            "S-1", phone.public_key, range(10**6, 10**6 + 4000), T0, T0 + timedelta(hours=1)
        )


def test_deep_nesting_is_refused_even_inside_a_signed_payload(issuer_key, lock, phone, key):
    claims_map = cbor2.loads(cbor2.loads(key).value[2])
    claims_map[LOCK_ID] = [[[[[[[[[[1]]]]]]]]]]  # an unknown claim, ten levels deep
    claims_map[-65537] = [LOCK_ID]
    deep = cose.sign1(issuer_key, cbor2.dumps(claims_map), kid=KID)
    assert reason_of(read_shift_key, deep) == "malformed"
    assert reason_of(lock.verify, phone.answer(lock.challenge(), deep)) == "malformed"
    claims_map[LOCK_ID] = [[[1]]]  # shallow unknown claims are ignored
    open_door(lock, phone, cose.sign1(issuer_key, cbor2.dumps(claims_map), kid=KID))


@pytest.mark.parametrize(
    "data",
    [
        b"\x9f\x01\xff",  # indefinite-length array
        b"\x5f\x41\x00\xff",  # indefinite-length byte string
        b"\xc1\x1a\x00\x00\x00\x00",  # tag 1 (datetime) at the top
        b"\x81\xd8\x24\x61\x61",  # tag 36 (MIME) inside: never reaches cbor2's decoder
        b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff",  # huge declared array
        b"\x5b\x00\x00\x00\x01\x00\x00\x00\x00",  # huge declared byte string
        b"\xf8\x10",  # ill-formed simple value
        b"\xfc",  # reserved additional info
        b"\x01\x02",  # two items
        b"",
    ],
)
def test_scan_refuses_what_cbor2_should_never_see(data):
    assert reason_of(cbor.decode, data, 1024) == "malformed"


def test_scan_accepts_our_messages(key, issuer, lock, phone):
    for message in (key, issuer.bulletin(1, [("sub", "S-1", T0)], T0), issuer.time_beacon(1, T0)):
        cbor.scan(message, 65536, frozenset({18, 61}))
    cbor.scan(lock.challenge(), 256)
    cbor.scan(phone.answer(lock.challenge(), key), cbor.MAX_ANSWER_SIZE)


@pytest.mark.parametrize("size", [0, 23, 24, 255, 256, 65535, 65536])
def test_hand_built_encodings_match_cbor2(size, issuer_key):
    payload = bytes(size)
    protected = cbor2.dumps({1: -7})
    assert cose.sig_structure(protected, payload) == cbor2.dumps(
        ["Signature1", protected, b"", payload]
    )
    message = cose.sign1(issuer_key, payload, kid=KID, typ="t")
    value = cbor2.loads(message)
    assert message == cbor2.dumps(value) and value.value[2] == payload


def test_thumbprint_matches_the_rfc_9679_example():
    x = bytes.fromhex("65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d")
    y = bytes.fromhex("1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c")
    key = es256.public_key_from_point(b"\x04" + x + y)
    expected = "496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec"
    assert thumbprint(key).hex() == expected
    canonical = cbor2.dumps({1: 2, -1: 1, -2: x, -3: y}, canonical=True)
    assert hashlib.sha256(canonical).hexdigest() == expected


def test_cose_key_parsing_refuses_points_off_the_curve_and_other_curves(phone):
    good = cose_key.encode_cose_key(phone.public_key)
    assert cose_key.parse_cose_key(good)[1] == phone.thumbprint
    for change in ({-3: bytes(32)}, {-1: 2}, {1: 1}, {3: -35}, {-2: b"x"}, {-1: True}):
        with pytest.raises(Denied):
            cose_key.parse_cose_key({**good, **change})


def test_module_imports_only_stdlib_cryptography_and_cbor2():
    allowed = set(sys.stdlib_module_names) | {"cryptography", "cbor2"}
    for path in KEYS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            assert {n.split(".")[0] for n in names} <= allowed, (path.name, names)


def test_importing_and_using_the_key_module_loads_no_flask_or_sqlalchemy():
    # The real parent package is imported too: portal/__init__.py must stay Flask-free.
    script = f"""
import sys
sys.path.insert(0, {str(KEYS_DIR.parent.parent)!r})
from datetime import UTC, datetime, timedelta
import portal.keys as k
t = datetime(2026, 1, 1, tzinfo=UTC)
issuer, phone = k.Issuer.generate("i", "k", clock=lambda: t), k.Phone.generate()
lock = k.Lock.provision(1, [issuer.trust_anchor()], lambda: t)
key = issuer.issue_shift_key("s", phone.public_key, [1], t, t + timedelta(hours=1))
k.verify_event(lock.verify(phone.answer(lock.challenge(), key)), lock.public_key)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "sqlalchemy", "werkzeug")))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_lock_can_trust_several_issuer_keys(issuer, phone, clock, make_key):
    twin = Issuer.generate(ISS, b"another-kid", clock=clock)
    lock = Lock.provision(LOCK_ID, [issuer.trust_anchor(), twin.trust_anchor()], clock)
    open_door(lock, phone, make_key())
    open_door(lock, phone, make_key(issuer=twin))
