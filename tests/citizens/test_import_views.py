"""The import pages: upload, preview, confirm, result; and every kind of bad file."""

import io
import re

import pytest
from sqlalchemy import func, select

from portal.citizens.models import Citizen, ImportBatch
from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.citizens.test_csv_files import BAD_FILES
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

MESSAGES = {
    "empty": "The file is empty",
    "no_rows": "has a header but no citizens",
    "delimiter": "No column separator found",
    "columns": "missing required columns",
    "malformed": "not valid CSV",
    "binary": "not a CSV text file",
    "encoding": "could not be read",
}


@pytest.fixture
def coordinator(db, client):
    make_reference_data(db)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def upload(client, raw: bytes, filename="export.csv"):
    return client.post(
        "/coordinator/import",
        data={"file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


def field_error(html: str) -> str:
    found = re.search(
        r'<span class="form-error-message" id="file-error">(.*?)</span>\s*<input', html, re.S
    )
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_upload_preview_confirm_and_result(client, db, coordinator):
    raw = csv_bytes(
        [row(1), row(2, phone="12"), row(3, name="Åse Ørsted")],
        delimiter=";",
        newline="\r\n",
        bom=True,
    )
    response = upload(client, raw)
    assert response.status_code == 303
    preview_url = response.location
    assert db.scalar(select(func.count(Citizen.id))) == 0
    html = client.get(preview_url).get_data(as_text=True)
    counts = re.findall(r"<li><strong>(\d+)</strong>", html)
    assert counts == ["2", "0", "0", "1"]
    assert re.search(
        r"<td>3</td><td><ul [^>]*><li><strong>Phone</strong>: Not a valid phone number</li></ul>",
        html,
    )
    assert "Åse Ørsted" in html and "separator “;”" in html
    done = client.post(preview_url)
    assert done.status_code == 303 and done.location.endswith("/result")
    result = client.get(done.location).get_data(as_text=True)
    lines = re.findall(r"<li>\s*(.*?)\s*</li>", result.split('class="portal-counts"')[1])
    assert lines[:4] == [
        "2 citizens added",
        "0 citizens updated",
        "0 citizens unchanged",
        "1 row skipped because of errors",
    ]
    assert db.scalar(select(func.count(Citizen.id))) == 2
    # The batch is done: its preview now leads to the result, confirming again changes nothing.
    assert client.get(preview_url).location.endswith("/result")
    assert client.post(preview_url).status_code == 303
    assert db.scalar(select(func.count(Citizen.id))) == 2
    search = client.get("/coordinator/citizens?q=ørsted").get_data(as_text=True)
    assert "Åse Ørsted" in search


def test_reimporting_the_same_file_has_nothing_to_do(client, db, coordinator):
    raw = csv_bytes([row(1), row(2)])
    client.post(upload(client, raw).location)
    html = client.get(upload(client, raw).location).get_data(as_text=True)
    assert re.findall(r"<li><strong>(\d+)</strong>", html) == ["0", "0", "2", "0"]
    assert (
        "There is nothing to import" in html
        and "Import " not in html.split("</h1>")[1].split("<footer")[0]
        and "Abandon this upload" in html  # the only button left
    )


def test_a_windows_1252_file_imports_correctly_with_a_notice(client, db, coordinator):
    raw = csv_bytes([row(1, name="Søren Ærø", city="Århus")], encoding="cp1252", delimiter=";")
    preview = upload(client, raw).location
    html = client.get(preview).get_data(as_text=True)
    assert "read as Windows-1252" in html and "Søren Ærø" in html
    client.post(preview)
    citizen = db.scalars(select(Citizen)).one()
    assert (citizen.name, citizen.city) == ("Søren Ærø", "Århus")


@pytest.mark.parametrize(("case", "raw", "code"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_unusable_files_get_a_clear_message_and_nothing_is_stored(
    client, db, coordinator, case, raw, code
):
    response = upload(client, raw)
    assert response.status_code == 200, case
    html = response.get_data(as_text=True)
    assert MESSAGES[code] in field_error(html), (case, field_error(html))
    assert "There is a problem" in html and "<title>Error:" in html
    assert db.scalars(select(ImportBatch)).all() == []


def test_missing_columns_are_named(client, coordinator):
    html = upload(client, b"external_id;name;city\nX1;Anna;By\n").get_data(as_text=True)
    assert "CPR number (national_id), Date of birth (date_of_birth), Address (address)" in (
        field_error(html)
    )


def test_no_file_chosen(client, coordinator):
    response = client.post("/coordinator/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose a CSV file" in field_error(response.get_data(as_text=True))
    text_instead = client.post("/coordinator/import", data={"file": "not a file"})
    assert "Choose a CSV file" in field_error(text_instead.get_data(as_text=True))


def test_a_file_over_the_import_limit_gets_a_message(make_app, db):
    fresh = make_app(IMPORT_MAX_BYTES=2048)
    make_reference_data(db)
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(fresh)
    sign_in_staff(client, user)
    small = upload(client, csv_bytes([row(1)]))
    assert small.status_code == 303
    big = upload(client, csv_bytes([row(i) for i in range(1, 40)]))
    html = big.get_data(as_text=True)
    assert big.status_code == 200 and "larger than" in field_error(html)
    assert "0 MB" not in field_error(html)


def test_a_request_over_the_size_limit_gets_the_413_page(make_app, db):
    fresh = make_app(MAX_CONTENT_LENGTH=4096)
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(fresh)
    sign_in_staff(client, user)
    response = upload(client, b"x" * 10_000)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is too large" in html and 'class="skipnav"' in html


HOSTILE = '<script>alert("x")</script>'


def test_hostile_values_in_a_file_are_shown_escaped(client, coordinator):
    rows = [
        row(1, name=HOSTILE),
        row(2, district=HOSTILE),
        row(3, provider="x' OR 1=1 --"),
        row(4, care_group=HOSTILE),
    ]
    response = client.get(upload(client, csv_bytes(rows), filename=f"{HOSTILE}.csv").location)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Unknown district: &lt;script&gt;" in html
    assert "x&#39; OR 1=1 --" in html


def test_the_preview_never_shows_national_ids(client, coordinator):
    rows = [row(1, national_id="2403414321"), row(2, national_id="2403417777", phone="1")]
    html = client.get(upload(client, csv_bytes(rows)).location).get_data(as_text=True)
    for nid in ("2403414321", "2403417777"):
        assert nid not in html and nid[-4:] not in html and f"{nid[:6]}-{nid[6:]}" not in html
