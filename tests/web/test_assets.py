"""The page chrome's URLs, built once (portal.web.assets), are the ones url_for builds."""

import re

import pytest
from flask import url_for

from portal.web.assets import asset_url, chrome_url, language_url
from portal.web.panels import nav_for
from tests.factories import make_user
from tests.helpers import sign_in_staff

NEXT_PATHS = [
    "/citizen/booking/time",
    "/coordinator/citizens?q=Ørsted&status=booked&page=2",
    "/a?b=c&d=%2F#part",
    '/"><script>alert(1)</script>',
    "",
]


@pytest.mark.parametrize("next_path", NEXT_PATHS)
def test_the_language_links_are_url_fors(app, next_path):
    with app.test_request_context("/"):
        for lang in app.config["LANGUAGES"]:
            assert language_url(lang, next_path) == url_for(
                "pages.language", lang=lang, next=next_path
            )


def test_pages_and_files_are_url_fors_also_below_a_path_prefix(app):
    for root in ("", "/portal"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for endpoint in ("pages.front", "pages.accessibility", "accounts.sign_out"):
                assert chrome_url(endpoint) == url_for(endpoint)
            assert asset_url("css/portal.css") == url_for("static", filename="css/portal.css")
            assert chrome_url("pages.front") == root + "/"


def test_a_page_links_back_to_itself_through_each_language(db, client):
    html = client.get("/accessibility?x=1&y=2").get_data(as_text=True)
    assert 'href="/language/sv?next=/accessibility?x%3D1%26y%3D2"' in html
    back = client.get("/language/sv?next=/accessibility?x%3D1%26y%3D2")
    assert back.status_code == 303 and back.headers["Location"] == "/accessibility?x=1&y=2"


def test_the_menu_links_hold_on_a_page_with_its_own_page_links(app, db, client):
    # The register hands its template a `page_url` for its pages; the menu's links are its own.
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens").get_data(as_text=True)
    menu = re.findall(r'<a href="([^"]+)" class="nav-link"', html)
    with app.test_request_context("/"):
        assert menu == [url_for(item.endpoint) for item in nav_for("coordinator")]
