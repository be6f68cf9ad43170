"""What the import accepts and says: the portal's own column labels as headers, the true reason
when nothing can be imported, and where in the file a CSV error or an overlong value is."""

import re

import pytest
from flask_babel import force_locale

from portal.citizens import columns
from portal.citizens.csvfile import FileProblem, read_csv
from tests.citizens.csvdata import COLUMNS, csv_bytes, row
from tests.citizens.test_import_views import coordinator, field_error, upload  # noqa: F401

DANISH = (
    "Eksternt id;CPR-nummer;Navn;Fødselsdato;Adresse;Postnummer;By;Telefon;E-mail;Sprog;"
    "Distrikt;Leverandør;Plejegruppe;Nødkald"
)
SWEDISH = (
    "Externt id;Personnummer;Namn;Födelsedatum;Adress;Postnummer;Postort;Telefon;E-post;Språk;"
    "Område;Utförare;Hemtjänstgrupp;Trygghetslarm"
)


def _with_header(header: str, rows) -> bytes:
    body = csv_bytes(rows, delimiter=";").decode().split("\n", 1)[1]
    return (header + "\n" + body).encode()


@pytest.mark.parametrize("header", [DANISH, SWEDISH], ids=["da", "sv"])
def test_the_headers_the_portal_shows_are_accepted(app, header):
    with app.test_request_context():
        parsed = read_csv(_with_header(header, [row(1)]))
    assert set(parsed.rows[0][1]) == set(COLUMNS)
    assert parsed.notices == []


@pytest.mark.parametrize(
    "written", ["EKSTERNT ID", "eksternt-id", "eksternt_id", " Eksternt   id ", "EksterntId"]
)
def test_labels_match_whatever_the_case_spaces_and_separators(app, written):
    with app.test_request_context():
        parsed = read_csv(_with_header(DANISH.replace("Eksternt id", written), [row(1)]))
    assert parsed.rows[0][1]["external_id"] == "CS-00001"


@pytest.mark.parametrize("language", ["en", "da", "sv"])
def test_every_label_of_every_column_in_every_language_is_a_header(app, language):
    with app.test_request_context(), force_locale(language):
        for key in columns.COLUMNS:
            for label in columns.LABELS[key]:
                header = ";".join(str(label) if c == key else c for c in COLUMNS)
                parsed = read_csv(_with_header(header, [row(1)]))
                assert set(parsed.rows[0][1]) == set(COLUMNS), (language, key, str(label))


def test_no_label_names_two_columns(app):
    with app.test_request_context():
        seen = {}
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                for key, labels in columns.LABELS.items():
                    for label in labels:
                        name = columns.header_key(str(label))
                        assert seen.setdefault(name, key) == key, (language, name)


def test_a_danish_export_uploads_and_the_preview_names_its_columns(client, coordinator):  # noqa: F811
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    response = upload(client, _with_header(DANISH, [row(1), row(2)]))
    assert response.status_code == 303, field_error(response.get_data(as_text=True))
    html = client.get(response.location).get_data(as_text=True)
    assert '<th scope="col">Eksternt id</th><th scope="col">Navn</th>' in html


def _nothing_reason(html: str) -> str:
    found = re.search(r"(There is nothing to import.*?)</", html, re.S)
    return re.sub(r"\s+", " ", found.group(1)) if found else ""


def test_nothing_to_import_because_every_row_has_errors(client, coordinator):  # noqa: F811
    html = client.get(upload(client, csv_bytes([row(1, phone="1"), row(2, phone="2")])).location)
    reason = _nothing_reason(html.get_data(as_text=True))
    assert "none of the 2 rows is valid. Fix the errors listed above" in reason
    assert "already in the citizen register" not in reason


def test_nothing_to_import_because_the_only_row_has_errors(client, coordinator):  # noqa: F811
    html = client.get(upload(client, csv_bytes([row(1, phone="1")])).location)
    reason = _nothing_reason(html.get_data(as_text=True))
    assert "the file's one row has errors" in reason and "already" not in reason


def test_nothing_to_import_with_some_rows_in_error_and_the_rest_unchanged(client, coordinator):  # noqa: F811
    client.post(upload(client, csv_bytes([row(1), row(2)])).location)
    again = csv_bytes([row(1), row(2), row(3, phone="3")])
    reason = _nothing_reason(client.get(upload(client, again).location).get_data(as_text=True))
    assert "1 row has errors (listed above)" in reason
    assert "2 valid rows are already in the citizen register, unchanged" in reason


def test_nothing_to_import_because_every_row_is_already_there(client, coordinator):  # noqa: F811
    client.post(upload(client, csv_bytes([row(1)])).location)
    reason = _nothing_reason(client.get(upload(client, csv_bytes([row(1)])).location).text)
    assert reason.startswith(
        "There is nothing to import: every valid row is already in the citizen"
    )


def test_the_reason_is_danish_in_danish(client, coordinator):  # noqa: F811
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    html = client.get(upload(client, csv_bytes([row(1, phone="1"), row(2, phone="2")])).location)
    text = html.get_data(as_text=True)
    assert "ingen af de 2 rækker er gyldige" in text and "findes allerede" not in text


def test_a_value_over_the_csv_field_limit_is_an_error_of_its_row():
    parsed = read_csv(csv_bytes([row(1), row(2, name="x" * 200_000), row(3)]))
    assert [(n, r.get("external_id", r)) for n, r in parsed.rows] == [
        (2, "CS-00001"),
        (3, {"__too_long__": "name"}),
        (4, "CS-00003"),
    ]


def _huge_header() -> bytes:
    body = csv_bytes([row(1)]).decode().split("\n", 1)[1]
    return ("x" * 200_000 + "," + ",".join(COLUMNS) + "\n" + body).encode()


def test_a_header_over_the_csv_field_limit_refuses_the_file():
    with pytest.raises(FileProblem) as problem:
        read_csv(_huge_header())
    assert problem.value.code == "header_too_long"
    assert problem.value.details == {"limit": 131_072}  # the csv module's, not MAX_FIELD


# Three text lines, one spreadsheet row: a coordinator finds the next row as row 3.
MULTILINE = row(1, address="Skolegade 1\nbaghuset\n2. sal")


@pytest.mark.parametrize(
    ("bad", "number"),
    [
        (b'CS-2,"2403411234,Anna\nCS-3,x\nCS-4,y\n', 3),  # opened in row 3, never closed
        (b'CS-2,"24034"11234,Anna\nCS-3,a\n', 3),  # text after a closing quotation mark
        (b"CS-2,x\n" + b'CS-3,"24034"11234,Anna\n', 4),
    ],
    ids=["unclosed", "misplaced", "misplaced, a row later"],
)
@pytest.mark.parametrize("before", [row(1), MULTILINE], ids=["one line", "three lines"])
def test_a_csv_syntax_error_names_its_spreadsheet_row(before, bad, number):
    with pytest.raises(FileProblem) as problem:
        read_csv(csv_bytes([before]) + bad)
    assert (problem.value.code, problem.value.details) == ("malformed", {"row": number})


def test_a_row_error_and_a_file_error_after_a_value_over_lines_name_the_same_row():
    """Row 3 is row 3 whether it holds a value error (preview) or a CSV error (upload page)."""
    rows = read_csv(csv_bytes([MULTILINE, row(2, name="x" * 200_000)])).rows
    assert [number for number, _ in rows] == [2, 3]
    with pytest.raises(FileProblem) as problem:
        read_csv(csv_bytes([MULTILINE]) + b'CS-2,"24034"1,Anna\n')
    assert problem.value.details == {"row": 3}


def test_the_upload_page_says_which_row_and_why(client, coordinator):  # noqa: F811
    raw = csv_bytes([MULTILINE]) + b'CS-2,"24034,A\n'
    quotes = field_error(upload(client, raw).text)
    assert "check the quotation marks in row 3" in quotes
    huge = field_error(upload(client, _huge_header()).text)
    assert "The header row (row 1) cannot be read" in huge and "131,072 characters" in huge
    assert "500" not in huge
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    assert "række 3" in field_error(upload(client, raw).text)
    huge_da = field_error(upload(client, _huge_header()).text)
    assert "Overskriftsrækken (række 1)" in huge_da and "131.072" in huge_da
    assert "500" not in huge_da
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    assert "rad 3" in field_error(upload(client, raw).text)
    huge_sv = field_error(upload(client, _huge_header()).text)
    assert "Rubrikraden (rad 1)" in huge_sv and "500" not in huge_sv


@pytest.mark.parametrize(
    ("lang", "dates"), [("da", "Datoer som 24-12-1940"), ("sv", "Datum som 24-12-1940")]
)
def test_the_upload_page_says_what_the_file_needs_without_sending_anyone_to_the_readme(
    client,
    coordinator,  # noqa: F811
    lang,
    dates,
):
    client.get(f"/language/{lang}")
    html = client.get("/coordinator/import").get_data(as_text=True)
    assert dates in html and "README" not in html
