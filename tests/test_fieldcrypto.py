"""Field encryption at rest: round trip, key rotation, purpose binding, tamper, blind index."""

import base64

import pytest
from cryptography.exceptions import InvalidTag

from portal.fieldcrypto import Keyring


def _key(byte: bytes) -> str:
    return base64.urlsafe_b64encode(byte * 32).decode().rstrip("=")


INDEX = _key(b"x")
OLD = Keyring({"k1": _key(b"a")}, "k1", INDEX)
ROTATED = Keyring({"k1": _key(b"a"), "k2": _key(b"b")}, "k2", INDEX)


@pytest.mark.parametrize("plain", ["2403401234", "", "Ærø Å ø", "x" * 5000, "<script>"])
def test_round_trip(plain):
    stored = OLD.encrypt(plain, "national_id")
    assert plain not in stored or plain == ""
    assert stored.startswith("k1:")
    assert OLD.decrypt(stored, "national_id") == plain


def test_same_plaintext_encrypts_differently_each_time():
    assert OLD.encrypt("2403401234", "national_id") != OLD.encrypt("2403401234", "national_id")


def test_old_key_id_stays_readable_after_rotation():
    old_value = OLD.encrypt("2403401234", "national_id")
    new_value = ROTATED.encrypt("2403401234", "national_id")
    assert ROTATED.key_id(old_value) == "k1"
    assert ROTATED.key_id(new_value) == "k2"
    assert ROTATED.decrypt(old_value, "national_id") == "2403401234"
    assert ROTATED.decrypt(new_value, "national_id") == "2403401234"
    with pytest.raises(KeyError):
        OLD.decrypt(new_value, "national_id")  # the old ring never saw k2


def test_ciphertext_for_one_purpose_fails_for_another():
    stored = OLD.encrypt("ABCDEFGHJK23", "letter_code")
    with pytest.raises(InvalidTag):
        OLD.decrypt(stored, "national_id")


def _flip(stored: str, position: int) -> str:
    kid, _, token = stored.partition(":")
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[position] ^= 0x01
    return kid + ":" + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


@pytest.mark.parametrize("position", [0, 11, 12, -1])  # nonce, ciphertext, tag
def test_tampered_values_fail(position):
    stored = OLD.encrypt("2403401234", "national_id")
    with pytest.raises(InvalidTag):
        OLD.decrypt(_flip(stored, position), "national_id")


def test_a_value_relabelled_with_another_key_id_fails():
    stored = OLD.encrypt("2403401234", "national_id")
    with pytest.raises(InvalidTag):
        ROTATED.decrypt("k2:" + stored.partition(":")[2], "national_id")


def test_blind_index_is_stable_across_rotation_and_keyed_by_purpose():
    a = OLD.blind_index("2403401234", "national_id")
    assert a == OLD.blind_index("2403401234", "national_id")
    assert a == ROTATED.blind_index("2403401234", "national_id")
    assert len(a) == 64 and "2403401234" not in a
    assert a != OLD.blind_index("2403401235", "national_id")
    assert a != OLD.blind_index("2403401234", "letter_code")
    other_index = Keyring({"k1": _key(b"a")}, "k1", _key(b"y"))
    assert a != other_index.blind_index("2403401234", "national_id")


@pytest.mark.parametrize(
    ("keys", "current"),
    [
        ({"k1": _key(b"a")}, "k9"),  # current not in the ring
        ({"k1": base64.urlsafe_b64encode(b"short").decode()}, "k1"),  # not 32 bytes
        ({"k:1": _key(b"a")}, "k:1"),  # ':' separates key id and value
    ],
)
def test_a_bad_keyring_is_refused(keys, current):
    with pytest.raises(ValueError):
        Keyring(keys, current, INDEX)


def test_from_config_reads_the_instance_json_shape():
    ring = Keyring.from_config({"current": "k1", "keys": {"k1": _key(b"a")}, "index_key": INDEX})
    assert ring.decrypt(OLD.encrypt("v", "p"), "p") == "v"


def test_the_app_stores_national_ids_only_encrypted(db, keyring):
    from tests.factories import make_citizen

    citizen = make_citizen(db, national_id="2403401234")
    db.commit()
    assert "2403401234" not in citizen.national_id_enc
    assert keyring.decrypt(citizen.national_id_enc, "national_id") == "2403401234"
    assert citizen.national_id_index == keyring.blind_index("2403401234", "national_id")
    assert citizen.national_id_masked == "240340-****"
