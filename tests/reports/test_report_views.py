"""The report pages and exports through HTTP: who sees what, bad input, formula injection."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.reports.support import make_door, make_staff, make_visit, make_visit_world, utc

ALL_YEAR = "date_from=2026-01-01&date_to=2026-12-31"


@pytest.fixture
def world(db, clock):
    w = make_visit_world(db)
    db.commit()
    return w


@pytest.fixture
def coordinator(db, client, world):
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    return client


@pytest.fixture
def admin_a(db, client, world):
    sign_in_staff(client, make_user(db, "provider_admin", provider_id=world.made["a"].id))
    db.commit()
    return client


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return [tuple(c.value for c in row) for row in book.worksheets[0].iter_rows()]


def test_the_coordinator_sees_every_visit(coordinator, world):
    page = coordinator.get(f"/reports/visits?{ALL_YEAR}").get_data(as_text=True)
    assert "Carl Citizen" in page and "Dora =Citizen" in page
    assert "Provider B" in page
    assert 'name="provider"' in page  # the provider filter is a coordinator's


def test_a_provider_admin_sees_only_their_own_staffs_visits(admin_a, world):
    page = admin_a.get(f"/reports/visits?{ALL_YEAR}").get_data(as_text=True)
    assert "Carl Citizen" in page and "Anna Test" in page
    assert "Dora" not in page and "Bent" not in page and "Provider B" not in page
    assert 'name="provider"' not in page
    other = f"provider={world.made['b'].id}&citizen_id={world.made['dora'].id}"
    assert "Dora" not in admin_a.get(f"/reports/visits?{other}").get_data(as_text=True)
    rows = _csv(admin_a.get(buffered=True, path=f"/reports/visits.csv?{other}"))
    assert len(rows) == 1  # the header only
    rows = _csv(
        admin_a.get(buffered=True, path="/reports/visits.csv?provider=" + str(world.made["b"].id))
    )
    assert {r[0] for r in rows[1:]} == {"Carl Citizen"} and len(rows) == 5
    sheet = _xlsx(admin_a.get("/reports/visits.xlsx"))
    assert {r[0] for r in sheet[1:]} == {"Carl Citizen"} and len(sheet) == 5
    billing = admin_a.get("/reports/billing?year=2026").get_data(as_text=True)
    assert "Provider A" in billing and "Provider B" not in billing
    assert {
        r[1] for r in _csv(admin_a.get(buffered=True, path="/reports/billing.csv?year=2026"))[1:]
    } == {"Provider A"}


def test_next_page_links_walk_the_list(db, coordinator, world, monkeypatch):
    from portal.reports import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    seen, url = [], f"/reports/visits?{ALL_YEAR}&sort=duration_desc"
    while url:
        html = coordinator.get(url).get_data(as_text=True)
        seen.append(html.count('<th scope="row">'))
        found = [
            part.split('"')[0] for part in html.split('rel="next" hx-get="')[1:]
        ]  # the next link's URL
        url = found[0].replace("&amp;", "&") if found else None
    assert seen == [3, 3, 2]


def test_the_csv_export_has_the_hand_computed_rows(coordinator, world):
    rows = _csv(
        coordinator.get(buffered=True, path=f"/reports/visits.csv?{ALL_YEAR}&sort=arrival_asc")
    )
    assert rows[0][:2] == ["Citizen", "Staff member"]
    first = rows[1]  # V7: 2026-02-28 23:30 UTC is 00:30 on 1 March in Copenhagen
    assert first[0] == "Carl Citizen" and first[3:7] == [
        "A-Nord",
        "North",
        "Provider A",
        "Front door",
    ]
    assert first[7:] == ["2026-03-01 00:30", "2026-03-01 01:00", "30"]
    assert rows[-1][7:] == ["2026-04-01 10:00", "", ""]  # V6, open, in summer time


def test_the_xlsx_export_holds_arrival_and_leave_as_dates(coordinator, world):
    """A spreadsheet sorts and filters them as dates and times (they were text)."""
    from datetime import datetime

    url = f"/reports/visits.xlsx?{ALL_YEAR}&sort=arrival_asc"
    book = load_workbook(io.BytesIO(coordinator.get(url).data))
    first, last = list(book.worksheets[0].iter_rows())[1], list(book.worksheets[0].iter_rows())[-1]
    assert [c.value for c in first[7:]] == [
        datetime(2026, 3, 1, 0, 30),
        datetime(2026, 3, 1, 1, 0),
        30,
    ]
    assert first[7].is_date and first[7].number_format == "yyyy-mm-dd hh:mm"
    assert last[7].value == datetime(2026, 4, 1, 10, 0) and last[8].value in (None, "")


def test_formulas_are_text_in_csv_and_xlsx(db, coordinator, world):
    hostile = make_staff(db, world.made["a"], '=HYPERLINK("http://x")', last="+1;-2,@3")
    make_visit(db, make_door(db, world.made["carl"]), hostile, utc(2026, 5, 1, 8), 5)
    world.made["carl"].name = "@SUM(1+1)"
    db.commit()
    rows = _csv(coordinator.get(buffered=True, path="/reports/visits.csv?date_from=2026-05-01"))
    assert rows[1][0] == "'@SUM(1+1)"
    assert rows[1][1] == "'=HYPERLINK(\"http://x\") +1;'-2,'@3"
    sheet = _xlsx(coordinator.get("/reports/visits.xlsx?date_from=2026-05-01"))
    assert sheet[1][0] == "'@SUM(1+1)" and sheet[1][1].startswith("'=HYPERLINK")
    assert sheet[1][-1] == 5  # a duration stays a number
    book = load_workbook(io.BytesIO(coordinator.get("/reports/visits.xlsx").data))
    types = {cell.data_type for row in book.worksheets[0].iter_rows() for cell in row}
    assert "f" not in types


def test_the_billing_page_and_exports(coordinator, world):
    page = coordinator.get("/reports/billing?year=2026").get_data(as_text=True)
    assert "2 h 15 min" in page and "1 h 30 min" in page
    rows = _csv(coordinator.get(buffered=True, path="/reports/billing.csv?year=2026"))
    assert rows[1:] == [
        ["2026-03", "Provider A", "4", "135", "0"],
        ["2026-03", "Provider B", "3", "90", "0"],
        ["2026-04", "Provider B", "0", "0", "1"],
    ]
    sheet = _xlsx(coordinator.get("/reports/billing.xlsx?year=2026"))
    assert sheet[1] == ("2026-03", "Provider A", 4, 135, 0)


HOSTILE = [
    "citizen=%00%3Cscript%3E&staff=" + "x" * 5000,
    "care_group=-1&district=%C2%B2&provider=99999999999999999999&door=%3Cb%3E",
    "citizen_id=1e9&staff_id=%EF%BC%91",
    "year=%00&year=99999",
]
BAD_PERIODS = [
    "date_from=2026-02-30&date_to=tomorrow&sort=DROP%20TABLE",
    "date_from=2026-05-01&date_to=2026-04-01",
    "date_to=2026-13-01",
]


@pytest.mark.parametrize("query", HOSTILE + BAD_PERIODS)
@pytest.mark.parametrize("path", ["/reports/visits", "/reports/billing"])
def test_hostile_parameters_are_ignored(coordinator, world, path, query):
    assert coordinator.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize("query", HOSTILE)
def test_the_csv_ignores_hostile_filters(coordinator, world, query):
    assert coordinator.get(f"/reports/visits.csv?{query}").status_code == 200


REVERSED = "date_from=2026-03-31&date_to=2026-03-29"


@pytest.mark.parametrize("query", [*BAD_PERIODS, REVERSED])
@pytest.mark.parametrize("path", ["/reports/visits.csv", "/reports/visits.xlsx"])
def test_the_files_refuse_a_period_they_cannot_honour(coordinator, world, path, query):
    # Dropping the bad bound would send visits from a range nobody asked for.
    response = coordinator.get(f"{path}?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "must not be before" in html or "Enter or choose a valid date" in html
    assert "Carl" not in html and "Dora" not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reversed_period_lists_nothing_and_says_why(coordinator, world, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = coordinator.get(f"/reports/visits?{REVERSED}", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # V5 and V6 arrive from 31 March on: listed when the last day was silently dropped.
    assert "Carl" not in html and "Dora" not in html
    assert "visits.csv" not in html and "visits.xlsx" not in html
    assert "until the period is corrected" in html
    summary = html[html.index("error-summary") :]
    assert 'href="#date_to"' in summary and "must not be before the first day" in summary
    assert "data-focus-on-load" in html
    # The field says it too: in the page, or swapped out of band with the results.
    period = html[html.index('id="visit-period"') :]
    assert 'aria-invalid="true"' in period
    if htmx:
        assert "<h1>" not in html and 'id="visit-period" hx-swap-oob="true"' in html
    else:
        assert "hx-swap-oob" not in html and "<title>Error:" in html


def test_a_good_period_clears_the_fields_messages_for_htmx(coordinator, world):
    html = coordinator.get(
        "/reports/visits?date_from=2026-03-29&date_to=2026-03-29", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'id="visit-period" hx-swap-oob="true"' in html
    assert "error-summary" not in html and 'aria-invalid="true"' not in html
    assert "Carl Citizen" in html and "visits.csv?date_from=2026-03-29" in html


def test_a_bad_date_is_shown_next_to_its_field(coordinator, world):
    html = coordinator.get("/reports/visits?date_from=2026-02-30").get_data(as_text=True)
    assert "Enter or choose a valid date" in html and 'aria-invalid="true"' in html
    html = coordinator.get("/reports/visits?date_from=2026-05-01&date_to=2026-04-01").get_data(
        as_text=True
    )
    assert "must not be before" in html


@pytest.mark.parametrize("cursor", ["x", "%00", "a" * 300, "YXJyaXZhbF9kZXNjfG5vfDE"])
def test_a_bad_cursor_is_a_400(coordinator, world, cursor):
    assert coordinator.get(f"/reports/visits?after={cursor}").status_code == 400


def test_htmx_gets_the_results_only(coordinator, world):
    response = coordinator.get("/reports/visits", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<h1>" not in html and "Carl Citizen" in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("lang", "day", "hour"), [("sv", "1 apr. 2026", "10:00"), ("da", "1. apr. 2026", "10.00")]
)
def test_arrival_is_written_as_the_provider_visits_page_writes_it(coordinator, lang, day, hour):
    """A date the line never breaks inside (Swedish short dates, 2026-04-01, broke at the
    hyphen), in the municipality's time: 08:00 UTC is 10:00 in Copenhagen in April."""
    coordinator.get(f"/language/{lang}")
    page = coordinator.get(f"/reports/visits?{ALL_YEAR}").get_data(as_text=True)
    expected = f'<span class="text-nowrap">{day}</span> <span class="text-nowrap">{hour}</span>'
    assert expected in page
    assert "2026-04-01" not in page.split("<tbody>")[1]


@pytest.mark.parametrize(
    "path", ["/reports/visits.csv", "/reports/visits.xlsx", "/reports/billing.xlsx?year=2026"]
)
def test_no_browser_or_proxy_keeps_a_copy_of_an_export(coordinator, path):
    response = coordinator.get(path)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
