"""The smaller untruths of issue 15: the QR code's dashes, a Danish date example, and more."""

from datetime import timedelta

from sqlalchemy import select

from portal.rollout.models import Campaign
from tests.booking.support import TZ
from tests.factories import NOW, make_citizen, make_district, make_user
from tests.helpers import sign_in_staff


def test_the_qr_link_fills_the_code_with_the_dashes_the_letter_shows(db, client):
    citizen = make_citizen(db)
    db.commit()
    plain = citizen.code.replace("-", "")
    # The QR link's code moves into the session, and the form comes back without it in the URL.
    html = client.get(f"/sign-in/citizen?code={plain.lower()}", follow_redirects=True).get_data(
        as_text=True
    )
    grouped = "-".join(plain[i : i + 4] for i in range(0, 12, 4))
    assert f'value="{grouped}"' in html
    junk = client.get("/sign-in/citizen?code=NOT-A-CODE", follow_redirects=True).get_data(
        as_text=True
    )
    assert 'value="NOT-A-CODE"' in junk  # kept as typed, the check comes on sign-in


def _campaign_form(district, starts_on, ends_on):
    return {
        "name": "Nordby",
        "district": str(district.id),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "day_start": "08:00",
        "day_end": "12:00",
        "weekdays": ["0", "1", "2", "3", "4"],
        "slot_minutes": "20",
        "buffer_minutes": "10",
    }


def test_campaign_dates_name_no_format_and_typed_danish_dates_work(db, client, clock):
    district = make_district(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    bad = client.post(
        "/coordinator/campaigns/new", data=_campaign_form(district, "31.02.2027", "1/3/2027")
    ).get_data(as_text=True)
    # The browser's picker shows the locale's format: the message names none (portal.web.dates).
    assert "Skriv eller vælg en gyldig dato" in bad
    assert "2026-05-22" not in bad and "22.05.2026" not in bad and "Not a valid date" not in bad
    start = NOW.astimezone(TZ).date() + timedelta(days=7)  # a Monday, 30 November 2026
    end = start + timedelta(days=13)
    done = client.post(
        "/coordinator/campaigns/new",
        data=_campaign_form(district, f"{start:%d.%m.%Y}", f"{end:%d-%m-%Y}"),
    )
    assert done.status_code == 303
    campaign = db.scalar(select(Campaign))
    assert (campaign.starts_on, campaign.ends_on) == (start, end)


def test_the_coordinator_sees_how_a_relative_is_related(db, client):
    from tests.helpers import sign_in_citizen

    citizen = make_citizen(db)
    db.commit()
    relative = {"name": "Karen Jensen", "phone": "20 12 34 56", "relation": "guardian"}
    sign_in_citizen(client, citizen, relative=relative)
    sign_in_staff(client, make_user(db, "coordinator"))
    page = client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)
    assert "Karen Jensen (Værge eller fuldmagtshaver)" in page
