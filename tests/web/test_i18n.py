"""Translations outside the page cycle, and the language switch."""

import pytest
from flask_babel import gettext

from tests.conftest import isolated_client


def test_translations_work_in_an_app_context_without_a_request(app):
    with app.app_context():
        assert gettext("Page not found") == "Siden blev ikke fundet"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("da", "da"), ("sv-SE,sv;q=0.9", "sv"), ("en-GB", "en"), ("de", "da"), ("", "da")],
)
def test_the_browser_language_is_used_until_one_is_chosen(app, accept, expected):
    client = isolated_client(app)  # no language of its own, unlike this folder's `client`
    html = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in html


@pytest.mark.parametrize(
    ("next_url", "lands"),
    [
        ("/accessibility", "/accessibility"),
        ("/coordinator/citizens?q=a&page=2", "/coordinator/citizens?q=a&page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        # A line break in the address would split the Location header: werkzeug refuses it
        # with a 500, so it must fall back to the front page like any other bad address.
        ("/\r\nSet-Cookie: a=b", "/"),
        ("/accessibility\n", "/"),
        ("/\x00", "/"),
        ("", "/"),
    ],
)
def test_the_language_switch_is_remembered_and_goes_back_only_locally(client, next_url, lands):
    response = client.get("/language/sv", query_string={"next": next_url})
    assert response.status_code == 303 and response.location == lands
    html = client.get("/", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert '<html lang="sv">' in html


def test_a_page_keeps_one_catalog_and_force_locale_still_switches_it(app):
    """Templates look the catalog up once per request and locale (i18n.page_translations): a
    letter or e-mail rendered in another language inside the request gets its own, and the
    page's own language comes back after the block."""
    from flask import render_template_string

    from portal.i18n import force_locale

    page = "{{ _('Page not found') }}"
    with app.test_request_context("/", headers={"Accept-Language": "sv"}):
        assert render_template_string(page) == "Sidan hittades inte"
        with force_locale("da"):
            assert render_template_string(page) == "Siden blev ikke fundet"
            with force_locale("en"):
                assert render_template_string(page) == "Page not found"
            assert render_template_string(page) == "Siden blev ikke fundet"
        assert render_template_string(page) == "Sidan hittades inte"
    with app.app_context():  # outside a request: the default language, as before
        assert render_template_string(page) == "Siden blev ikke fundet"
