"""The relative's sign-in page: worded for the relative, a relation that must be chosen, and
one error summary in page order with every mistake (the phone too) in one round."""

import re
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.accounts.forms import CitizenSignInForm, RelativeSignInForm
from portal.citizens.models import Relative
from tests.factories import make_citizen

BORN = date(1941, 3, 24)


def summary_links(html: str) -> list[str]:
    """The field ids the error summary links to, in order."""
    box = re.search(r'class="alert alert-error error-summary".*?</ul>', html, re.S)
    return re.findall(r'href="#([^"]+)"', box.group(0)) if box else []


def page_order(html: str) -> list[str]:
    """The ids of the form's inputs and selects, in the order the page shows them."""
    return re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)


@pytest.fixture
def citizen(db):
    c = make_citizen(db, date_of_birth=BORN)
    db.commit()
    return c


def test_the_code_is_worded_for_the_relative(client):
    html = client.get("/sign-in/relative").get_data(as_text=True)
    assert "The code from the letter to the person you help" in html
    assert "Personal code from your letter" not in html and "your letter" not in html
    assert "Personal code from your letter" in client.get("/sign-in/citizen").get_data(True)
    for lang, words in (
        ("da", "Koden fra brevet til den, du hjælper"),
        ("sv", "Koden från brevet till den du hjälper"),
    ):
        page = client.get("/sign-in/relative", headers={"Accept-Language": lang})
        assert words in page.get_data(as_text=True)


def test_the_relation_starts_empty_and_must_be_chosen(client, db, citizen):
    html = client.get("/sign-in/relative").get_data(as_text=True)
    select_box = re.search(r'<select[^>]*name="relation".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>", select_box).group(0)
    assert 'value=""' in first and ">Choose</option>" in select_box
    response = client.post(
        "/sign-in/relative",
        data={
            "code": citizen.code,
            "day": "24",
            "month": "3",
            "year": "1941",
            "name": "Rita Relativ",
            "phone": "20 30 40 50",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and summary_links(html) == ["relation"]
    assert "Choose how you are related" in html
    assert db.scalars(select(Relative)).all() == []


def test_every_mistake_is_listed_once_in_page_order(client):
    html = client.post("/sign-in/relative", data={"phone": "123"}).get_data(as_text=True)
    links = summary_links(html)
    assert links == ["code", "day", "name", "phone", "relation"]
    order = page_order(html)
    assert sorted(links, key=order.index) == links  # the summary follows the page
    assert "for example 34 41 23 45" in html  # the phone is checked with the rest
    assert "Enter the date of birth with" in html and "Enter your date" not in html


def test_a_bad_phone_is_reported_before_any_code_check(client, citizen):
    response = client.post(
        "/sign-in/relative",
        data={
            "code": citizen.code,
            "day": "24",
            "month": "3",
            "year": "1941",
            "name": "",
            "phone": "123",
            "relation": "child",
        },
    )
    html = response.get_data(as_text=True)
    assert summary_links(html) == ["name", "phone"]


def test_the_citizen_page_lists_the_code_before_the_date(client):
    html = client.post("/sign-in/citizen", data={"day": "x" * 3}).get_data(as_text=True)
    assert summary_links(html) == ["code", "day"]


def test_summary_errors_without_http(app):
    data = MultiDict({"day": "1", "month": "1", "year": "", "phone": "12", "relation": "cousin"})
    with app.test_request_context(method="POST"):
        form = RelativeSignInForm(formdata=data, meta={"csrf": False})
        form.validate()
        form.parse_dob()
        ids = [field_id for field_id, _message in form.summary_errors("Wrong code")]
        assert ids == ["code", "code", "day", "name", "phone", "relation"]
        plain = CitizenSignInForm(formdata=MultiDict({"code": "x" * 41}), meta={"csrf": False})
        plain.validate()
        assert [i for i, _m in plain.summary_errors()] == ["code"]


@pytest.mark.parametrize(
    ("country", "lang", "example", "words"),
    [
        ("DK", "sv", "34 41 23 45", "till exempel"),  # a Danish number on a Swedish page
        ("DK", "da", "34 41 23 45", "for eksempel"),
        ("SE", "da", "070-123 45 67", "for eksempel"),  # a Swedish number on a Danish page
        ("SE", "sv", "070-123 45 67", "till exempel"),
    ],
)
def test_the_phone_example_is_a_number_of_the_municipality_s_country(
    app, client, citizen, country, lang, example, words
):
    """The number is checked for the municipality's country whatever the page's language, so
    the example comes from that country, and following it signs the relative in."""
    client.get(f"/language/{lang}")
    app.config["COUNTRY"] = country
    try:
        html = client.post("/sign-in/relative", data={"phone": "123"}).get_data(as_text=True)
        assert f"{words} {example}," in html and "+" in html
        answers = {"code": citizen.code, "day": "24", "month": "3", "year": "1941"}
        answers |= {"name": "Rita Relativ", "phone": example, "relation": "child"}
        assert client.post("/sign-in/relative", data=answers).status_code == 303
    finally:
        app.config["COUNTRY"] = "DK"


@pytest.mark.parametrize("name", ["Rita\tRelativ", "Rita\u202eRelativ", "Rita\u2028Relativ"])
def test_a_name_with_a_control_character_is_refused_and_kept(client, db, citizen, name):
    # The name is written into the citizen's history ("done by relative NAME").
    data = {
        "code": citizen.code,
        "day": "24",
        "month": "3",
        "year": "1941",
        "name": name,
        "phone": "20 30 40 50",
        "relation": "child",
    }
    html = client.post("/sign-in/relative", data=data).get_data(as_text=True)
    assert summary_links(html) == ["name"]
    assert "without line breaks, tabs or hidden control characters" in html
    assert f'value="{name}"' in html and 'value="20 30 40 50"' in html
    assert db.scalars(select(Relative)).all() == []
