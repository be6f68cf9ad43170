"""portal.web.htmx: the one reader of HX-* headers."""

import pytest

from portal.web import htmx

PLAIN, HTMX = {}, {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        (PLAIN, False),
        (HTMX, True),
        ({**HTMX, "HX-Boosted": "true"}, False),
        ({**HTMX, "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "1"}, False),
        ({"HX-Boosted": "true"}, False),
    ],
)
def test_fragment_only_for_plain_htmx_requests(app, headers, fragment):
    with app.test_request_context(headers=headers):
        assert htmx.wants_fragment() is fragment
        response = htmx.render("errors/error.html", "citizens/_results.html", **_context(app))
        body = response.get_data(as_text=True)
        assert ("<html" not in body) is fragment
        assert "HX-Request" in response.vary


def _context(app):
    from types import SimpleNamespace

    result = SimpleNamespace(total=0, citizens=[], page=1, pages=1)
    return {
        "result": result,
        "code": 404,
        "title": "t",
        "advice": "a",
        "statuses": {},
        "page_url": lambda n: f"/?page={n}",
    }


@pytest.mark.parametrize(("headers", "status"), [(PLAIN, 303), (HTMX, 204)])
def test_hx_redirect(app, headers, status):
    with app.test_request_context(headers=headers):
        response = htmx.hx_redirect("/somewhere")
    assert response.status_code == status
    if status == 204:
        assert response.headers["HX-Redirect"] == "/somewhere"
    else:
        assert response.headers["Location"] == "/somewhere"


def test_every_html_response_varies_on_hx_request(client):
    assert "HX-Request" in client.get("/").headers["Vary"]
    assert "HX-Request" in client.get("/no-such-page").headers["Vary"]
