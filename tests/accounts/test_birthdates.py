"""Dates of birth the way people write them: one box or three, day first or year first."""

import re
from datetime import date

import pytest

from portal.accounts import birthdates
from tests.accounts.test_sign_in_views import BORN, _post, citizen  # noqa: F401 (fixture)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("24", "3", "1941"),
        ("1941-03-24", "", ""),
        ("19410324", "", ""),
        ("24-03-1941", "", ""),
        ("24.3.1941", "", ""),
        ("", "", "24 3 1941"),
        ("", "1941/03/24", ""),
        ("24031941", "", ""),
        ("1941", "03", "24"),  # a Swede's year first in the day box
    ],
)
def test_every_way_people_write_the_date_gives_the_date(day, month, year):
    assert birthdates.parse(day, month, year, TODAY) == date(1941, 3, 24)


@pytest.mark.parametrize(
    ("day", "month", "year", "reason"),
    [
        ("24", "3", "62", birthdates.SHORT_YEAR),
        ("24", "3", "19411", birthdates.SHORT_YEAR),
        ("240362", "", "", birthdates.SHORT_YEAR),
        ("24-3-62", "", "", birthdates.SHORT_YEAR),
        ("", "", "", birthdates.MISSING),
        ("24", "", "1941", birthdates.MISSING),
        ("24 mars 1941", "", "", birthdates.NOT_NUMBERS),
        ("1941-02-30", "", "", birthdates.NOT_A_DATE),
        ("2999-01-01", "", "", birthdates.NOT_A_DATE),
        ("<script>", "", "", birthdates.NOT_NUMBERS),
        ("9" * 40, "", "", birthdates.NOT_A_DATE),
    ],
)
def test_each_wrong_date_says_what_is_wrong(day, month, year, reason):
    assert birthdates.parse(day, month, year, TODAY) == reason


def test_swedish_page_asks_year_first_with_a_swedish_hint(client, citizen):  # noqa: F811
    html = client.get("/sign-in/citizen", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    boxes = re.findall(r'<input type="text" inputmode="numeric" id="(\w+)"', html)
    assert boxes == ["year", "month", "day"]
    assert "1941-03-24" in html


def test_danish_page_asks_day_first(client, citizen):  # noqa: F811
    html = client.get("/sign-in/citizen", headers={"Accept-Language": "da"}).get_data(as_text=True)
    boxes = re.findall(r'<input type="text" inputmode="numeric" id="(\w+)"', html)
    assert boxes == ["day", "month", "year"]


def test_whole_date_in_one_box_signs_in(client, citizen):  # noqa: F811
    response = _post(client, citizen.code, day="1941-03-24", month="", year="")
    assert response.status_code == 303


def test_two_digit_year_says_write_four_digits_in_danish(client, citizen):  # noqa: F811
    response = client.post(
        "/sign-in/citizen",
        data={"code": citizen.code, "day": "24", "month": "3", "year": "62"},
        headers={"Accept-Language": "da"},
    )
    assert "Skriv året med 4 cifre, for eksempel 1962" in response.get_data(as_text=True)
