"""A logo stored before the upload refused bombs (or put in the database some other way) is
checked when it is used: pages and letters are made without it, and the settings page tells
the administrator to upload it again. The check runs once per stored logo, not per request."""

import re

import pytest

from portal.audit.services import SYSTEM
from portal.directory import settings
from portal.letters import services
from tests.directory.test_setup_logo_and_truth import png, png_header, use_bomb
from tests.factories import NOW, make_citizen, make_district, make_user
from tests.helpers import sign_in_staff

BOMBS = {"svg": (use_bomb(), "image/svg+xml"), "png": (png_header(13000, 13000), "image/png")}


def _store(db, data: bytes, media_type: str) -> None:
    """Straight into the database, past the upload's check."""
    settings.save_logo(db, data, media_type, f"{len(data):064x}", now=NOW, actor=SYSTEM)
    db.commit()


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_stored_bomb_is_drawn_on_no_page_and_the_settings_page_says_so(
    client, db, coordinator, kind
):
    _store(db, *BOMBS[kind])
    html = client.get("/").get_data(as_text=True)
    header = re.search(r'class="logo portal-logo">(.*?)</a>', html, re.S).group(1)
    assert "<img" not in header and '<link rel="icon" href="data:,">' in html
    assert client.get("/municipality/logo").status_code == 404
    texts = client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert "The stored logo cannot be used" in texts and "upload it again" in texts
    assert "portal-logo-preview" not in texts

    _store(db, png(300, 80), "image/png")  # uploaded again, as a logo that draws
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'class="logo portal-logo">\s*<img src="/municipality/logo', html)
    texts = client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert "The stored logo cannot be used" not in texts


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_letter_is_made_without_a_stored_bomb(app, db, kind):
    citizen = make_citizen(db, district=make_district(db, name="Nordby"))
    db.commit()
    _store(db, *BOMBS[kind])
    settings.overlay(app, force=True)  # as the next app context would
    html = services.information_letter_html(db, citizen.id, now=NOW)
    assert 'class="logo"' not in html and "data:image" not in html
    assert "img/logo.svg" not in html  # not swapped for the portal's standard logo either
    assert services.information_letter_pdf(db, citizen.id, now=NOW).startswith(b"%PDF")


def test_the_stored_logo_is_checked_once_not_on_every_request(client, db, monkeypatch):
    calls = []
    real = settings.drawable

    def counting(data, media_type):
        calls.append(media_type)
        return real(data, media_type)

    monkeypatch.setattr(settings, "drawable", counting)
    _store(db, *BOMBS["svg"])
    for _ in range(3):
        client.get("/")
    client.application.extensions["municipality_settings"]["at"] = None  # the cache expires
    client.get("/")
    assert calls == ["image/svg+xml"]


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_the_set_up_checklist_counts_a_stored_bomb_as_not_done(client, db, coordinator, kind):
    def logo_item(html: str) -> str:
        return re.search(r"<li[^>]*>(?:(?!</li>).)*?[Ll]ogo(?:(?!</li>).)*</li>", html, re.S).group(
            0
        )

    _store(db, png(300, 80), "image/png")
    before = client.get("/coordinator/setup").get_data(as_text=True)
    _store(db, *BOMBS[kind])
    after = client.get("/coordinator/setup").get_data(as_text=True)
    missing = re.compile(r"(\d+) things? (?:is|are) still missing")
    assert int(missing.search(after).group(1)) == int(missing.search(before).group(1)) + 1
    assert "The stored logo cannot be drawn" in logo_item(after)
    assert "The stored logo cannot be drawn" not in before
