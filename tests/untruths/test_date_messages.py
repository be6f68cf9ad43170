"""Date fields are the browser's date picker, which shows the locale's format (31.01.2027 in a
Danish browser) and sends 2027-01-31: the messages of the roll-out's, the locksmith jobs', the
visit report's and the audit log's dates name no ISO example (which contradicted the picker),
as the change requests' do since 1a0be9a; what was typed stays in the box."""

import re

import pytest

from tests.factories import make_district, make_user
from tests.helpers import sign_in_staff
from tests.reports.support import make_visit_world

TYPED = "31.02.2027"  # no such day
SAID = {
    "en": "Enter or choose a valid date",
    "da": "Skriv eller vælg en gyldig dato",
    "sv": "Skriv eller välj ett giltigt datum",
}


def _campaign(client, db):
    district = make_district(db)
    db.commit()
    data = {
        "name": "Nordby",
        "district": str(district.id),
        "starts_on": TYPED,
        "ends_on": "",
        "day_start": "08:00",
        "day_end": "12:00",
        "weekdays": ["0"],
        "slot_minutes": "20",
        "buffer_minutes": "10",
    }
    return client.post("/coordinator/campaigns/new", data=data), "starts_on"


def _jobs(client, db):
    return client.get("/coordinator/jobs", query_string={"day": TYPED}), "day"


def _visits(client, db):
    make_visit_world(db)
    db.commit()
    return client.get("/reports/visits", query_string={"date_from": TYPED}), "date_from"


def _audit(client, db):
    return client.get("/coordinator/audit", query_string={"start": TYPED}), "start"


PAGES = {"rollout": _campaign, "locksmith": _jobs, "reports": _visits, "audit": _audit}


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_date_that_is_not_one_names_no_format(db, client, clock, page, lang):
    sign_in_staff(client, make_user(db, "coordinator"))
    client.get(f"/language/{lang}")
    response, field = PAGES[page](client, db)
    html = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error">(.*?)</span>\s*([^<]*)<', html, re.S)
    assert error, f"no message next to {field}"
    message = error.group(2).strip()
    assert message == SAID[lang]
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}", message)
    assert f'value="{TYPED}"' in html  # what was typed stays in the box


@pytest.mark.parametrize(
    "query", ["date_from=01.03.2026&date_to=31.03.2026", "date_from=1/3/2026&date_to=31-03-2026"]
)
def test_the_visit_report_reads_a_date_typed_as_people_write_it(db, client, clock, query):
    # A browser without a picker shows a text box; the date there is read as the picker's.
    make_visit_world(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    client.get("/language/en")
    html = client.get(f"/reports/visits?{query}").get_data(as_text=True)
    assert "error-summary" not in html and "Carl Citizen" in html
