"""A picture attached to a change request is kept as pixels only: a phone photo of a death
certificate kept its EXIF (the GPS position of the home, the phone, the time) byte for byte."""

import io

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from portal.changes import documents, services
from tests.changes.support import CITIZEN, NOW, fitted_citizen, make_town, on, policy

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


def _exif():
    exif = Image.Exif()
    exif[MAKE] = "PhoneOfTheRelative"
    exif[ORIENTATION] = 6  # taken sideways: shown turned 90 degrees
    exif[GPS_IFD] = {1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 56.0)}
    return exif


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "JPEG", exif=_exif())
    return out.getvalue()


def _png() -> bytes:
    info = PngInfo()
    info.add_text("Comment", "Skovvej 2, 4100 Demoby")
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


@pytest.fixture
def req(db, app):
    return services.submit(
        db,
        fitted_citizen(db, make_town(db)),
        "leave",
        on("2026-12-01", reason="deceased", estate_contact="Estate, 20 30 40 50"),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )


def _attach(db, req, data, name="foto.jpg"):
    return documents.attach(db, req, name, data, max_bytes=10**7, now=NOW, actor=CITIZEN)


@pytest.mark.parametrize(("make", "kind"), [(_jpeg, "image/jpeg"), (_png, "image/png")])
def test_a_picture_is_kept_without_its_metadata_and_upright(db, req, make, kind):
    raw = make()
    assert b"PhoneOfTheRelative" in raw  # the upload carries it
    doc = _attach(db, req, raw)
    assert doc.content_type == kind and doc.data[:3] == raw[:3]
    assert b"PhoneOfTheRelative" not in doc.data and b"Skovvej" not in doc.data
    kept = Image.open(io.BytesIO(doc.data))
    assert dict(kept.getexif()) == {} and kept.size == (200, 300)
    assert doc.size == len(doc.data)


def test_a_tail_after_the_picture_is_not_kept(db, req):
    doc = _attach(db, req, _png() + b"<script>alert(1)</script>", "x.png")
    assert b"<script>" not in doc.data


def test_bytes_that_only_start_like_a_picture_are_refused(db, req):
    with pytest.raises(documents.BadDocument):
        _attach(db, req, b"\xff\xd8\xff" + b"not a picture" * 10)


def test_a_picture_with_too_many_pixels_is_refused_with_its_own_reason(db, req, monkeypatch):
    monkeypatch.setattr(documents, "MAX_PIXELS", 2_000_000)
    out = io.BytesIO()
    Image.new("L", (2001, 1000), 255).save(out, "JPEG")
    with pytest.raises(documents.TooManyPixels) as refused:
        _attach(db, req, out.getvalue())
    assert refused.value.params == {"megapixels": 2}


def test_a_pdf_is_kept_byte_for_byte(db, req):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert _attach(db, req, pdf, "a.pdf").data == pdf
