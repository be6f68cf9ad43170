"""Files at the edges, on the citizen import: only a byte-order mark is an empty file, labels
with byte-order marks, spaces and quotation marks are headers, and a value too long for the
CSV reader is an error of its own row, not of the file."""

import pytest
from sqlalchemy import select

from portal.citizens.models import Citizen
from tests.citizens.csvdata import COLUMNS, csv_bytes, row
from tests.citizens.test_import_views import coordinator, field_error, upload  # noqa: F401

BOM = b"\xef\xbb\xbf"
NO_HEADER = {
    "bom": BOM,
    "bom, blank lines": BOM + b"\n\r\n  \n",
    "two boms": BOM + BOM + b"\n",
    "bom, spaces": BOM + b" \t ",
}


@pytest.mark.parametrize("raw", NO_HEADER.values(), ids=NO_HEADER.keys())
def test_a_file_of_only_a_byte_order_mark_is_an_empty_file(client, coordinator, raw):  # noqa: F811
    response = upload(client, raw)
    assert response.status_code == 200
    assert field_error(response.text) == field_error(upload(client, b"").text)
    assert field_error(response.text) == "Error: The file is empty."


def _header(labels) -> bytes:
    body = csv_bytes([row(1)], delimiter=";").split(b"\n", 1)[1]
    return ";".join(labels).encode() + b"\n" + body


HEADERS = {
    "two boms": BOM + BOM + _header(COLUMNS),
    "bom inside the quotation marks": _header([f'"\ufeff{COLUMNS[0]}"', *COLUMNS[1:]]),
    "quoted with spaces around": BOM + _header(f' "{c}" ' for c in COLUMNS),
    "space after the closing quotation mark": BOM + _header(f'"{c}" ' for c in COLUMNS),
    "bom before Windows-1252": BOM + _header(COLUMNS).replace(b"CS-", "Sø-".encode("cp1252")),
}


@pytest.mark.parametrize("raw", HEADERS.values(), ids=HEADERS.keys())
def test_labels_with_byte_order_marks_spaces_and_quotes_are_recognised(client, coordinator, raw):  # noqa: F811
    response = upload(client, raw)
    assert response.status_code == 303, field_error(response.text)
    preview = client.get(response.location).text
    assert "Rows with errors" not in preview and "Import 1 citizen" in preview


def test_a_value_too_long_to_read_is_an_error_of_its_row(client, db, coordinator):  # noqa: F811
    raw = csv_bytes([row(1), row(2, name="x" * 200_000), row(3)])
    response = upload(client, raw)
    assert response.status_code == 303, field_error(response.text)
    preview = client.get(response.location).text
    assert "Rows with errors" in preview and "Import 2 citizens" in preview
    assert (
        "<td>3</td>" in preview
        and "<strong>Name</strong>: Too long (at most 500 characters)" in (preview)
    )
    assert "x" * 1000 not in preview
    client.post(response.location)
    imported = db.scalars(select(Citizen.external_id).order_by(Citizen.external_id)).all()
    assert imported == ["CS-00001", "CS-00003"]


def test_a_value_too_long_in_a_quoted_value_over_many_lines(client, db, coordinator):  # noqa: F811
    long = "\n".join(["y" * 50] * 4000)  # 204,000 characters over 4,000 lines
    raw = csv_bytes([row(1), row(2, address=long), row(3)])
    preview = client.get(upload(client, raw).location).text
    assert "<strong>Address</strong>: Too long (at most 500 characters)" in preview
    assert "Import 2 citizens" in preview and "<td>3</td>" in preview


def test_a_header_of_thousands_of_columns_is_refused_before_they_are_read(client, coordinator):  # noqa: F811
    """A 5 MB header of empty or made-up column names took seconds of a web worker on each
    upload and each look at the preview (every name is compared with the known ones); no
    care-system export has that many columns."""
    extra = [f"extra{n}" for n in range(5000)]
    raw = _header([*COLUMNS, *extra])
    response = upload(client, raw)
    assert response.status_code == 200
    assert field_error(response.text) == (
        "Error: The header row has more than 200 columns. Export only the columns the import uses."
    )
    # A file with unknown columns is still read, as long as they are not that many.
    assert upload(client, _header([*COLUMNS, *extra[:50]])).status_code == 303
