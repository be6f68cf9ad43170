"""The set-up pages as a coordinator meets them: a wrong logo file is marked at its field, a logo
keeps its proportions in the header, and the checklist and the texts form tell the same truth
about texts the pages show without anybody having saved them."""

import io
import re
import struct
import zlib

import pytest

from portal.directory.images import drawable, header_size, image_size
from tests.factories import make_user
from tests.helpers import sign_in_staff


def png(width: int, height: int) -> bytes:
    """A real (decodable) one-colour PNG of the given size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\xc0\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def png_header(width: int, height: int) -> bytes:
    """A one-bit PNG of any size, tiny however large: every row is blank (a decompression bomb
    when large)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compressobj(9)
    body = b"".join(rows.compress(b"\x00" * (1 + (width + 7) // 8)) for _ in range(height))
    body += rows.flush()
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(part)) + kind + part + struct.pack(">I", zlib.crc32(kind + part))
        for kind, part in ((b"IHDR", header), (b"IDAT", body), (b"IEND", b""))
    )


def use_bomb(levels: int = 8) -> bytes:
    """An SVG of a kilobyte or two whose nested <use> elements draw 10**levels rectangles."""
    groups = "".join(
        f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, levels + 1)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
        f'<rect id="a0" width="1" height="1"/>{groups}</defs><use href="#a{levels}"/></svg>'
    ).encode()


TOO_COMPLEX = (
    "The logo is too large or too complex to draw on every page. Use a PNG of at most "
    "2000 by 2000 pixels, or a plain SVG without embedded pictures."
)


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def _upload(client, data, name):
    files = {} if data is None else {"logo": (io.BytesIO(data), name)}
    return client.post("/coordinator/setup/logo", data=files, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (png(1, 1) + b"\x00" * (1024 * 1024), "big.png", "The logo is larger than 200 kB."),
        (b"just some text\n", "notes.txt", "The logo must be a PNG or SVG image."),
        (None, "", "Choose a file with the logo."),
        (png_header(13000, 13000), "bomb.png", TOO_COMPLEX),
        (use_bomb(), "bomb.svg", TOO_COMPLEX),
    ],
    ids=["too-big", "text-file", "no-file", "png-bomb", "svg-use-bomb"],
)
def test_a_wrong_logo_is_marked_at_its_field_with_a_focused_summary(
    client, db, coordinator, data, name, message
):
    response = _upload(client, data, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the page itself, not a redirect to a banner at the top
    assert re.search(r"<title>[^<]*Error", html)
    summary = html.index("error-summary")
    assert (
        html.index('id="logo-heading"') < summary < html.index('action="/coordinator/setup/logo"')
    )
    assert f'<a class="function-link" href="#logo">{message}</a>' in html
    field = re.search(r'<input class="form-file-input"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field and 'aria-describedby="logo-hint logo-error"' in field
    assert re.search(r'id="logo-error">.*' + re.escape(message), html)
    assert "data-focus-on-load" in html[summary - 200 : summary + 300]
    assert client.get("/municipality/logo").status_code == 404


def test_the_logo_address_answers_a_get_with_the_texts_page(client, db, coordinator):
    response = client.get("/coordinator/setup/logo")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/coordinator/setup/texts#logo-heading")


def _header_img(html: str) -> str:
    return re.search(r'<a href="[^"]*" class="logo portal-logo">\s*<img[^>]*>', html).group()


def test_a_wide_logo_keeps_its_proportions_in_the_header(client, db, coordinator):
    assert 'width="40" height="40"' in _header_img(client.get("/").get_data(as_text=True))
    assert _upload(client, png(300, 80), "wide.png").status_code == 303
    img = _header_img(client.get("/").get_data(as_text=True))
    assert 'width="150" height="40"' in img
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 100"><rect/></svg>'
    assert _upload(client, svg, "wide.svg").status_code == 303
    assert 'width="160" height="20"' in _header_img(client.get("/").get_data(as_text=True))
    texts = client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert "40 pixels high" in texts


def test_image_sizes_are_read_from_the_first_bytes():
    assert image_size(png(300, 80), "image/png") == (300, 80)
    assert image_size(b"\x89PNG\r\n\x1a\nbroken", "image/png") is None
    assert image_size(b'<svg width="120px" height="40">', "image/svg+xml") == (120, 40)
    assert image_size(b'<svg viewBox="0,0,48,48">', "image/svg+xml") == (48, 48)
    assert image_size(b"<svg>", "image/svg+xml") is None
    assert header_size(None) == (40, 40)
    assert header_size((10, 400)) == (1, 40)


TEXTS = {
    "name": "Botkyrka kommun",
    "phone": "70 20 30 40",
    "email": "hemtjanst@botkyrka.example",
    "sender_address": "Munkhättevägen 45, 147 85 Tumba",
    "portal_url": "https://nyckelfri.botkyrka.example",
    "signature_name": "Eva Lind",
    **{f"hours_{lang}": f"hours {lang}" for lang in ("da", "sv", "en")},
    **{f"signature_title_{lang}": f"title {lang}" for lang in ("da", "sv", "en")},
}


def _item(html: str, label: str) -> str:
    """One checklist entry's markup."""
    return re.search(r"<li>(?:(?!</li>).)*" + re.escape(label) + r".*?</li>", html, re.S).group()


def test_the_checklist_and_the_form_say_the_same_about_unsaved_texts(
    app, client, db, coordinator, monkeypatch
):
    monkeypatch.setitem(app.config, "PORTAL_URL", "http://127.0.0.1:5077")  # the server's own
    checklist = client.get("/coordinator/setup").get_data(as_text=True)
    form = client.get("/coordinator/setup/texts").get_data(as_text=True)
    # A configured default: in the form as a value, marked as not confirmed; the checklist says
    # it is missing for that reason and names the value the pages use.
    assert 'value="http://127.0.0.1:5077"' in form
    url_item = _item(checklist, "The portal&#39;s address")
    assert "Missing" in url_item and "Not confirmed yet" in url_item
    assert "http://127.0.0.1:5077" in url_item
    hours_hint = re.search(r'id="hours_da-hint">(.*?)</span>', form).group(1)
    assert "Not confirmed yet" in hours_hint
    hours_item = _item(checklist, "Phone hours in every language")
    assert "Not confirmed yet" in hours_item and "mandag-fredag kl. 9-15" in hours_item
    assert "Not confirmed yet" in re.search(
        r'id="signature_title_sv-hint">(.*?)</span>', form
    ).group(1)
    assert "Not confirmed yet" in _item(checklist, "Title under the signature in every language")
    # A demo value: the field stays empty (never saved by accident), and both pages name what
    # the pages show meanwhile.
    assert not re.search(r'id="name"[^>]*value=', form)
    demo = "The pages show the demo value “Demo Kommune” until you save your own."
    assert demo in re.search(r'id="name-hint">(.*?)</span>', form).group(1)
    assert demo in _item(checklist, "Name of the municipality")
    assert "standard logo" in _item(checklist, "Logo") and "standard logo" in form
    # Saved: done on the checklist, no notes anywhere.
    assert client.post("/coordinator/setup/texts", data=TEXTS).status_code == 303
    checklist = client.get("/coordinator/setup").get_data(as_text=True)
    form = client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert "Not confirmed yet" not in checklist + form and "demo value" not in checklist + form
    assert "Done" in _item(checklist, "The portal&#39;s address")


def test_only_logos_that_draw_quickly_are_drawable():
    svg = "image/svg+xml"
    assert drawable(png(300, 80), "image/png") and drawable(png_header(2000, 40), "image/png")
    assert not drawable(png_header(2001, 40), "image/png")
    assert not drawable(b"\x89PNG\r\n\x1a\nbroken", "image/png")  # size unknown
    assert drawable(use_bomb(levels=3), svg)  # a thousand rectangles: a busy logo, no bomb
    assert not drawable(use_bomb(), svg)
    entities = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    loop = b'<svg xmlns="http://www.w3.org/2000/svg"><g id="g"><use href="#g"/></g></svg>'
    picture = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<image x:href="data:image/png;base64,AAAA"/></svg>'
    )
    for bad in (entities, loop, picture, b"<svg><unclosed></svg>"):
        assert not drawable(bad, svg), bad
