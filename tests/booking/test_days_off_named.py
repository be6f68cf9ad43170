"""The days off are named: on the day board ("Julafton: ingen montering") and listed on the
campaign page."""

from datetime import date

import pytest

from portal.booking.days_off import skipped_days
from tests.booking.support import make_campaign
from tests.factories import make_district, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def _midsummer_campaign(db):
    campaign = make_campaign(
        db, make_district(db), starts_on=date(2027, 6, 21), ends_on=date(2027, 6, 30)
    )
    db.commit()
    return campaign


def test_swedish_campaign_over_midsummer_skips_the_eve_by_name(app, db):
    campaign = make_campaign(
        db, make_district(db), starts_on=date(2027, 6, 21), ends_on=date(2027, 6, 30)
    )
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert skipped_days(campaign, "SE") == [(date(2027, 6, 25), "Midsommarafton")]
        assert skipped_days(campaign, "DK") == []


def test_the_campaign_page_lists_the_days_it_skips(app, client, db, coordinator):
    campaign = make_campaign(
        db, make_district(db), starts_on=date(2026, 12, 21), ends_on=date(2027, 1, 8)
    )
    db.commit()
    html = client.get(
        f"/coordinator/campaigns/{campaign.id}", headers={"Accept-Language": "da"}
    ).get_data(as_text=True)
    assert "Dage uden montering" in html
    for name in ("Juleaftensdag", "Juledag", "Nytårsaftensdag", "Nytårsdag"):
        assert name in html, name
    assert "Anden juledag" not in html  # a Saturday: not one of the campaign's days anyway


def test_the_board_names_the_holiday_instead_of_saying_nobody_works(app, client, db, coordinator):
    app.config["COUNTRY"] = "SE"
    try:
        campaign = _midsummer_campaign(db)
        html = client.get(
            f"/coordinator/schedule?campaign={campaign.id}&day=2027-06-25",
            headers={"Accept-Language": "sv"},
        ).get_data(as_text=True)
    finally:
        app.config["COUNTRY"] = "DK"
    assert "Midsommarafton: ingen montering" in html
    assert "Ingen låssmed arbetar" not in html


@pytest.mark.parametrize(
    ("country", "lang", "expected"),
    [
        (
            "DK",
            "sv",
            [
                (date(2026, 12, 24), "Julafton"),
                (date(2026, 12, 25), "Juldagen"),
                (date(2026, 12, 31), "Nyårsafton"),
                (date(2027, 1, 1), "Nyårsdagen"),
            ],
        ),
        (
            "DK",
            "en",
            [
                (date(2026, 12, 24), "Christmas Eve"),
                (date(2026, 12, 25), "Christmas Day"),
                (date(2026, 12, 31), "New Year's Eve"),
                (date(2027, 1, 1), "New Year's Day"),
            ],
        ),
        (
            "SE",
            "da",
            [
                (date(2026, 12, 24), "Juleaften"),
                (date(2026, 12, 25), "Juledag"),
                (date(2026, 12, 31), "Nytårsaften"),
                (date(2027, 1, 1), "Nytårsdag"),
                (date(2027, 1, 6), "Helligtrekongersdag"),
            ],
        ),
        (
            "SE",
            "sv",
            [
                (date(2026, 12, 24), "Julafton"),
                (date(2026, 12, 25), "Juldagen"),
                (date(2026, 12, 31), "Nyårsafton"),
                (date(2027, 1, 1), "Nyårsdagen"),
                (date(2027, 1, 6), "Trettondedag jul"),
            ],
        ),
    ],
)
def test_the_days_off_are_named_in_the_pages_language(app, db, country, lang, expected):
    """Every page language, whichever country's days: the holidays package names Denmark's
    days only in Danish and English, Sweden's only in Swedish and English."""
    campaign = make_campaign(
        db, make_district(db), starts_on=date(2026, 12, 21), ends_on=date(2027, 1, 8)
    )
    with app.test_request_context(headers={"Accept-Language": lang}):
        assert skipped_days(campaign, country) == expected
