"""The coordinator's register: search, filters, pagination, htmx fragments, the detail page."""

import re

import pytest

from tests.factories import make_citizen, make_district, make_provider, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def register(db, client):
    """30 citizens in two districts with two providers; a coordinator signed in."""
    nord, syd = make_district(db, "Nordby"), make_district(db, "Sønderby")
    municipal, private = make_provider(db, "Kommunen"), make_provider(db, "Privat ApS")
    for i in range(30):
        make_citizen(
            db,
            external_id=f"REG-{i:02d}",
            name=f"Borger {i:02d} {'Hansen' if i % 3 == 0 else 'Jensen'}",
            address=f"{'Møllevej' if i % 2 else 'Kirkevej'} {i}",
            district=nord if i < 20 else syd,
            provider=municipal if i % 5 else private,
            status="fitted" if i % 10 == 0 else "registered",
        )
    make_citizen(
        db,
        name="Procent 100% Sørensen",
        address="Understreg_vej 1",
        district=syd,
        provider=private,
        external_id="REG-XX",
    )
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    return {"nord": nord, "syd": syd, "municipal": municipal, "private": private}


def names(html: str) -> list[str]:
    """Citizen names in the result table, in order."""
    return re.findall(r'<th scope="row"><a href="/coordinator/citizens/\d+">([^<]+)</a>', html)


def count(html: str) -> int:
    return int(re.search(r'<p id="result-count">(\d+)', html).group(1))


def test_plain_get_lists_the_first_page_sorted_by_name(client, register):
    response = client.get("/coordinator/citizens")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert count(html) == 31
    assert len(names(html)) == 25 and names(html)[0] == "Borger 00 Hansen"
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hansen"}, 10),
        ({"q": "HANSEN møllevej"}, 5),
        ({"q": "Kirkevej"}, 15),
        ({"q": "  borger   07  "}, 1),
        ({"q": "nobody-by-that-name"}, 0),
        ({"q": "100%"}, 1),  # % and _ are searched for, not wildcards
        ({"q": "g_v"}, 1),
        ({"q": "%"}, 1),
        ({"q": "\\"}, 0),
        ({"district": "{syd}"}, 11),
        ({"provider": "{private}"}, 7),
        ({"status": "fitted"}, 3),
        ({"district": "{nord}", "provider": "{private}", "q": "hansen"}, 2),
        ({"district": "999999"}, 0),
        ({"district": "not-a-number"}, 31),
        ({"status": "no-such-status"}, 31),
    ],
)
def test_search_and_filters(client, register, query, expected):
    ids = {k: str(v.id) for k, v in register.items()}
    args = {k: v.format(**ids) for k, v in query.items()}
    response = client.get("/coordinator/citizens", query_string=args)
    assert response.status_code == 200
    assert count(response.get_data(as_text=True)) == expected


def test_pagination_keeps_the_filters(client, register):
    first = client.get("/coordinator/citizens?q=borger&status=registered").get_data(as_text=True)
    assert count(first) == 27
    link = re.search(r'href="(/coordinator/citizens\?[^"]*page=2[^"]*)"', first).group(1)
    link = link.replace("&amp;", "&")
    assert "q=borger" in link and "status=registered" in link
    second = client.get(link).get_data(as_text=True)
    assert len(names(second)) == 2 and set(names(second)).isdisjoint(names(first))


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999", "2.5", "9999"])
def test_odd_page_numbers_show_a_page(client, register, page):
    response = client.get("/coordinator/citizens", query_string={"page": page})
    assert response.status_code == 200 and names(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "extra",
    ["endpoint=x", "_external=1", "_scheme=javascript&_external=1", "_anchor=x", "_method=POST"],
)
def test_unexpected_query_parameters_do_not_leak_into_page_links(client, register, extra):
    response = client.get(f"/coordinator/citizens?q=borger&{extra}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*page=2[^"]*)"', html)
    assert links and all(link.startswith("/coordinator/citizens?") for link in links)
    assert all("javascript" not in link and "_" not in link.split("?")[1] for link in links)


def test_htmx_request_gets_only_the_results_fragment(client, register):
    response = client.get("/coordinator/citizens?q=hansen", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert count(html) == 10
    assert "HX-Request" in response.headers["Vary"]


def test_the_results_are_one_table_whose_rows_are_cards_on_a_phone(client, register):
    """The fragment the live search swaps in is the table whose rows portal.css turns into
    cards under 768 px: each row once, its values labelled, no sideways-scrolling wrapper."""
    html = client.get("/coordinator/citizens?q=hansen", headers={"HX-Request": "true"})
    html = html.get_data(as_text=True)
    assert html.count("<table") == 1 and 'class="table table--zebra table--cards"' in html
    assert "table--responsive-scroll" not in html
    rows = html.split("<tr data-row>")[1:]
    assert len(rows) == 10
    for row in rows:
        for label in ("Address", "District", "Provider", "Status"):
            assert f'<td data-title="{label}"><span>' in row


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-Boosted": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "false"},
    ],
)
def test_boosted_and_history_restore_requests_get_the_whole_page(client, register, headers):
    response = client.get("/coordinator/citizens?q=hansen", headers=headers)
    html = response.get_data(as_text=True)
    assert "<html" in html and 'role="search"' in html and count(html) == 10
    assert "HX-Request" in response.headers["Vary"]


def test_the_search_form_works_without_javascript(client, register):
    html = client.get("/coordinator/citizens").get_data(as_text=True)
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html).group(0)
    assert 'method="get"' in form and 'action="/coordinator/citizens"' in form
    assert 'hx-get="/coordinator/citizens"' in form and 'hx-target="#results"' in form
    assert re.search(r'<button type="submit"', html)


def test_search_text_is_kept_and_escaped(client, register):
    html = client.get("/coordinator/citizens", query_string={"q": '"><script>x</script>'}).get_data(
        as_text=True
    )
    assert "<script>x</script>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_detail_shows_the_citizen_with_the_national_id_masked(client, db, register):
    citizen = make_citizen(db, national_id="2403419876", name="Maskeret Person")
    db.commit()
    html = client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)
    assert "Maskeret Person" in html and "240341-****" in html
    assert "2403419876" not in html and "9876" not in html
