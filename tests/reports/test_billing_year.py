"""The billing basis's ?year=: a year the report does not cover is named, never moved to the
nearest one (1999 showed 2000's months, 2099 next year's, both without a word)."""

import pytest

from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff
from tests.reports.support import make_visit_world

THIS = NOW.year
NAMED = f"is not a year of the report. Choose a year from 2000 to {THIS + 1}."
INSTEAD = f"The year {THIS} is shown instead."
REFUSED = ["1999", str(THIS + 2), "abc", "20261", "-999", "２０２６"]


@pytest.fixture
def coordinator(db, client, clock):
    make_visit_world(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    return client


@pytest.mark.parametrize("year", REFUSED)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_year_the_report_does_not_cover_is_named(coordinator, year, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = coordinator.get("/reports/billing", query_string={"year": year}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"Year {THIS}" in html
    said = f"“{year}” {NAMED} {INSTEAD}"
    assert html.count(said) == 2 and 'href="#year"' in html  # the summary and the field
    assert 'aria-invalid="true" aria-describedby="year-error"' in html
    assert f"/reports/billing.csv?year={THIS}" in html  # the files offered are of what is shown
    if htmx:
        assert "<html" not in html and 'id="billing-year" hx-swap-oob="true"' in html
    else:
        assert "hx-swap-oob" not in html and "<title>Error:" in html


def test_what_was_typed_is_escaped_in_the_message(coordinator):
    html = coordinator.get("/reports/billing?year=%3Cb%3E").get_data(as_text=True)
    assert f"“&lt;b&gt;” {NAMED}" in html and "<b>" not in html


@pytest.mark.parametrize("year", ["", "2000", str(THIS + 1), "2010"])
def test_a_year_it_covers_is_shown_without_a_message(coordinator, year):
    html = coordinator.get(
        "/reports/billing", query_string={"year": year}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "error-summary" not in html and 'aria-invalid="true"' not in html
    shown = year or str(THIS)
    assert f"Year {shown}" in html and f'<option value="{shown}" selected>' in html


@pytest.mark.parametrize("year", ["1999", "abc"])
@pytest.mark.parametrize("path", ["/reports/billing.csv", "/reports/billing.xlsx"])
def test_the_files_refuse_such_a_year(coordinator, path, year):
    response = coordinator.get(path, query_string={"year": year})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert f"“{year}” {NAMED}" in html


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("da", f"“1999” er ikke et år i rapporten. Vælg et år fra 2000 til {THIS + 1}."),
        ("sv", f"“1999” är inte ett år i rapporten. Välj ett år från 2000 till {THIS + 1}."),
    ],
)
def test_the_year_is_named_in_danish_and_swedish(coordinator, lang, said):
    coordinator.get(f"/language/{lang}")
    assert said in coordinator.get("/reports/billing?year=1999").get_data(as_text=True)
