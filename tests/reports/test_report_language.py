"""The reports in the reader's language: one-bracket field labels, the Swedish leave column,
and export file names in Danish and Swedish (ASCII `filename`, the real one in `filename*`)."""

import csv
import io

import pytest

from tests.reports.test_billing_year import coordinator  # noqa: F401 (fixture)

ALL_YEAR = "date_from=2026-01-01&date_to=2026-12-31"


@pytest.mark.parametrize(
    ("lang", "label"),
    [("da", "Borgerens navn"), ("sv", "Brukarens namn"), ("en", "Citizen's name")],
)
def test_the_citizen_field_has_one_pair_of_brackets(coordinator, lang, label):  # noqa: F811
    coordinator.get(f"/language/{lang}")
    page = coordinator.get("/reports/visits").get_data(as_text=True)
    html_label = page.split('for="citizen"')[1].split("</label>")[0]
    assert label.replace("'", "&#39;") in html_label, html_label
    assert html_label.count("(") == 1, html_label  # only "(optional)"


def test_the_swedish_export_says_when_the_staff_member_left(coordinator):  # noqa: F811
    coordinator.get("/language/sv")
    text = coordinator.get(f"/reports/visits.csv?{ALL_YEAR}").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert "Lämnade" in header and "Avfärd" not in header


@pytest.mark.parametrize(
    ("lang", "path", "plain", "real"),
    [
        ("da", f"/reports/visits.csv?{ALL_YEAR}", "besoeg-", "bes%C3%B8g-"),
        ("sv", f"/reports/visits.xlsx?{ALL_YEAR}", "besok-", "bes%C3%B6k-"),
        ("da", "/reports/billing.csv?year=2026", "tid-pr-leverandoer-2026.csv", None),
        ("sv", "/reports/billing.xlsx?year=2026", "tid-per-utforare-2026.xlsx", None),
        ("en", f"/reports/visits.csv?{ALL_YEAR}", "visits-", None),
    ],
)
def test_export_files_are_named_in_the_readers_language(coordinator, lang, path, plain, real):  # noqa: F811
    coordinator.get(f"/language/{lang}")
    response = coordinator.get(path)
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert header.startswith(f'attachment; filename="{plain}'), header
    if real:
        assert f"filename*=UTF-8''{real}" in header, header
    if lang == "en":
        assert "filename*" not in header


def test_the_ascii_spelling_and_the_header():
    from portal.reports.downloads import ascii_name, disposition

    assert ascii_name("tid-pr-leverandør-2026.csv") == "tid-pr-leverandoer-2026.csv"
    assert ascii_name("besök-2026-12-05.xlsx") == "besok-2026-12-05.xlsx"
    assert ascii_name('a"b;c.csv') == "a-b-c.csv"
    assert disposition("visits-2026-12-05.csv") == 'attachment; filename="visits-2026-12-05.csv"'
