"""Key (de)serialisation and request signatures used by the portal and the field API."""

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from portal.keys import (
    Issuer,
    Phone,
    es256,
    private_key_from_pem,
    private_key_to_pem,
    public_key_from_pem_or_base64,
    public_key_to_pem,
    sign_request,
    thumbprint,
    verify_request,
)

from .support import ISS, KID


@pytest.fixture
def device():
    return Phone.generate()


def same_key(a, b) -> bool:
    return es256.point_bytes(a) == es256.point_bytes(b)


def test_public_key_accepts_pem_der_and_raw_point_in_either_base64(device):
    public = device.public_key
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    point = es256.point_bytes(public)
    texts = [
        public_key_to_pem(public),
        "\n  " + public_key_to_pem(public) + "\n",
        base64.b64encode(der).decode(),
        base64.b64encode(point).decode(),
        base64.urlsafe_b64encode(point).decode().rstrip("="),
        base64.encodebytes(der).decode(),  # wrapped lines, as some tools paste it
        base64.b64encode(der),  # bytes
    ]
    for text in texts:
        assert same_key(public_key_from_pem_or_base64(text), public)


def test_public_key_refuses_anything_but_p256():
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    off_curve = b"\x04" + bytes(31) + b"\x01" + bytes(31) + b"\x02"
    compressed = Phone.generate().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    bad = [
        public_key_to_pem(p384),
        rsa_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        base64.b64encode(off_curve).decode(),
        base64.b64encode(compressed).decode(),
        "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----",
        "not base64 at all!",
        "",
        "ÆØÅ",
        None,
    ]
    for text in bad:
        with pytest.raises(ValueError):
            public_key_from_pem_or_base64(text)


def test_issuer_private_keys_round_trip_through_pem():
    issuer = Issuer.generate(ISS, KID)
    for password in (None, b"correct horse"):
        pem = issuer.to_pem(password)
        again = Issuer.from_pem(pem, ISS, KID, password=password)
        assert same_key(again.public_key, issuer.public_key)
    assert "ENCRYPTED" in issuer.to_pem(b"pw")
    with pytest.raises(ValueError):
        Issuer.from_pem(issuer.to_pem(b"pw"), ISS, KID, password=b"wrong")
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError):
        private_key_from_pem(
            p384.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    key = es256.generate_private_key()
    assert same_key(private_key_from_pem(private_key_to_pem(key)).public_key(), key.public_key())


def test_kid_may_be_text_and_is_carried_as_bytes():
    assert Issuer.generate(ISS, "kbh-1").kid == b"kbh-1"
    with pytest.raises(ValueError):
        Issuer.generate(ISS, "")


def test_request_signatures_are_raw_r_s_over_the_exact_bytes(device):
    body = b'{"action":"start_shift","staff":"S-1001"}'
    signature = sign_request(device.private_key, body)
    assert len(signature) == 64
    assert verify_request(device.public_key, body, signature)
    assert verify_request(device.public_key, bytearray(body), signature)
    assert not verify_request(device.public_key, body + b" ", signature)
    assert not verify_request(Phone.generate().public_key, body, signature)
    assert not verify_request(device.public_key, body, signature[:63])
    assert not verify_request(device.public_key, body, bytes(64))
    assert not verify_request(device.public_key, body, b"\xff" * 64)
    assert not verify_request(device.public_key, "text", signature)
    der = device.private_key.sign(body, ec.ECDSA(hashes.SHA256()))
    assert not verify_request(device.public_key, body, der)


def test_thumbprint_is_the_phone_thumbprint(device):
    assert thumbprint(device.public_key) == device.thumbprint
    assert len(device.thumbprint) == 32
    with pytest.raises(ValueError):
        thumbprint(ec.generate_private_key(ec.SECP384R1()).public_key())
