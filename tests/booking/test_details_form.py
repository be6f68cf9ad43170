"""The details question: every mistake in one round (the phone too), and the interpreter's
language whenever an interpreter is wanted. Form tests run without HTTP; view tests use the
citizen's own pages."""

import re

import pytest
from werkzeug.datastructures import MultiDict

from portal.booking.forms import DetailsForm, PhoneBookingForm
from tests.booking.support import DETAILS, make_world, options
from tests.helpers import sign_in_citizen


def summary_links(html: str) -> list[str]:
    """The field ids the error summary links to, in order."""
    box = re.search(r'class="alert alert-error error-summary".*?</ul>', html, re.S)
    return re.findall(r'href="#([^"]+)"', box.group(0)) if box else []


def value_of(html: str, name: str) -> str | None:
    """The value an input comes back with."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    found = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return found.group(1) if found else None


def _form(app, cls, data: dict):
    with app.test_request_context(method="POST", data=data):
        form = cls(formdata=MultiDict(data), meta={"csrf": False})
        if cls is PhoneBookingForm:
            form.citizen.choices = [("1", "Agnes")]
        form.opener.choices = [("self", "Self")]
        form.validate()
        return {name: list(field.errors) for name, field in form._fields.items() if field.errors}


@pytest.fixture
def at_details(db, client):
    """A citizen who has chosen a day and a time: the details question is next."""
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    day = options(client.get("/citizen/booking/day?start=new").get_data(as_text=True), "day")[0]
    client.post("/citizen/booking/day", data={"day": day})
    time = options(client.get("/citizen/booking/time").get_data(as_text=True), "time")[0]
    client.post("/citizen/booking/time", data={"time": time})
    return client


def test_the_phone_is_checked_by_the_form_with_the_other_fields(app):
    errors = _form(app, DetailsForm, {"call_phone": "123", "interpreter": "no"})
    assert set(errors) == {"opener", "call_phone"}
    assert "for example 34 41 23 45," in str(errors["call_phone"][0])  # a Danish municipality
    assert (
        _form(
            app, DetailsForm, {"opener": "self", "call_phone": "20 12 34 56", "interpreter": "no"}
        )
        == {}
    )


def test_the_phone_is_checked_for_the_municipalitys_country(app):
    data = {"opener": "self", "call_phone": "070-123 45 67", "interpreter": "no"}
    assert "call_phone" in _form(app, DetailsForm, data)  # not a Danish number
    app.config["COUNTRY"] = "SE"
    try:
        assert _form(app, DetailsForm, data) == {}
    finally:
        app.config["COUNTRY"] = "DK"


def test_interpreter_yes_needs_a_language_and_no_needs_none(app):
    base = {"opener": "self", "call_phone": "20123456"}
    errors = _form(app, DetailsForm, base | {"interpreter": "yes", "interpreter_language": " "})
    assert list(errors) == ["interpreter_language"]
    assert (
        _form(app, DetailsForm, base | {"interpreter": "yes", "interpreter_language": "Arabisk"})
        == {}
    )
    assert _form(app, DetailsForm, base | {"interpreter": "no"}) == {}
    long = base | {"interpreter": "yes", "interpreter_language": "x" * 61}
    assert list(_form(app, DetailsForm, long)) == ["interpreter_language"]


def test_the_phone_booking_form_checks_a_typed_phone_with_the_rest(app):
    errors = _form(
        app, PhoneBookingForm, {"call_phone": "123", "interpreter": "yes", "opener": "self"}
    )
    assert set(errors) == {"citizen", "call_phone", "interpreter_language"}
    # Empty is allowed: the view falls back to the citizen's own number.
    empty = {"citizen": "1", "opener": "self", "interpreter": "no", "call_phone": ""}
    assert _form(app, PhoneBookingForm, empty) == {}


def test_all_mistakes_are_reported_at_once_and_kept(at_details):
    response = at_details.post(
        "/citizen/booking/details",
        data={
            "call_phone": "123",
            "door_code": "4711",
            "interpreter": "yes",
            "interpreter_language": "",
            "note": "Hunden bider ikke",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert summary_links(html) == ["opener-0", "call_phone", "interpreter_language"]
    assert "Skriv, hvilket sprog tolken skal tale" in html
    assert 'id="interpreter_language-error"' in html  # the message sits next to the field
    assert value_of(html, "call_phone") == "123" and value_of(html, "door_code") == "4711"
    assert "Hunden bider ikke" in html and 'value="yes" class="form-radio" checked' in html


def test_a_wrong_phone_alone_comes_back_with_the_rest_kept(at_details):
    response = at_details.post("/citizen/booking/details", data=DETAILS | {"call_phone": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and summary_links(html) == ["call_phone"]
    assert value_of(html, "interpreter_language") == "Arabisk"


def test_interpreter_language_is_dropped_when_no_interpreter_is_needed(at_details):
    data = DETAILS | {"interpreter": "no", "interpreter_language": "Arabisk"}
    assert at_details.post("/citizen/booking/details", data=data).status_code == 303
    check = at_details.get("/citizen/booking/check").get_data(as_text=True)
    assert "Arabisk" not in check and "+4520123456" not in check and "20 12 34 56" in check
