"""The property import at the edges: only a byte-order mark is an empty file, quoted labels are
headers, and a value too long for the CSV reader is an error of its own row."""

import io
import re

import pytest
from sqlalchemy import select

from portal.consent.models import Property
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)

HEAD = "property_number;address;postcode;city;owner;entrance\n"


def _csv(*numbers, address=None) -> bytes:
    return (
        HEAD
        + "".join(f"{n};{address or f'Skolegade {n}'};4100;Demoby;Bolig {n};A\n" for n in numbers)
    ).encode()


def _upload(client, raw: bytes):
    return client.post(
        "/coordinator/properties/import", data={"file": (io.BytesIO(raw), "ejendomme.csv")}
    )


@pytest.mark.parametrize(
    "raw", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\r\n \n"], ids=["bom", "bom, blank lines"]
)
def test_a_file_of_only_a_byte_order_mark_is_an_empty_file(coordinator, raw):  # noqa: F811
    page = _upload(coordinator, raw).text
    assert "The file is empty." in page and "column separator" not in page


def test_quoted_labels_after_a_byte_order_mark_are_recognised(coordinator):  # noqa: F811
    head = ";".join(f'"{label}" ' for label in HEAD.strip().split(";"))
    raw = b"\xef\xbb\xbf" + head.encode() + b"\n" + _csv(1).split(b"\n", 1)[1]
    assert _upload(coordinator, raw).status_code == 303


def test_a_value_too_long_to_read_is_an_error_of_its_row(coordinator, db):  # noqa: F811
    raw = _csv(1) + _csv(2, address="x" * 200_000).split(b"\n", 1)[1] + _csv(3).split(b"\n", 1)[1]
    response = _upload(coordinator, raw)
    assert response.status_code == 303
    preview = coordinator.get(response.location).text
    assert "<td>3</td>" in preview and "<strong>Address</strong>: Too long" in preview
    assert "<strong>2</strong> new properties" in preview
    coordinator.post(response.location)
    numbers = db.scalars(select(Property.property_number).order_by(Property.property_number))
    assert numbers.all() == ["1", "3"]


def test_every_error_of_a_row_is_listed_under_its_row(coordinator):  # noqa: F811
    head = "address;postcode;city;district;owner;owner_email;entrance;kind\n"
    raw = (head + "Skolegade 1;4100;Demoby;Ukendt;Bolig;nej;A;luge\n").encode()
    preview = coordinator.get(_upload(coordinator, raw).location).text
    body = re.search(r"<tbody>(.*?)</tbody>", preview, re.S).group(1)
    assert body.count("<tr>") == 1 and body.startswith("<tr><td>2</td>")
    for column in ("District", "Owner&#39;s email (owner_email)", "Kind of entrance (kind)"):
        assert f"<strong>{column}</strong>" in body
    assert "<strong>1</strong> row has errors" in preview


def test_a_header_of_thousands_of_columns_is_refused(coordinator):  # noqa: F811
    head = HEAD.strip() + "".join(f";extra{n}" for n in range(5000)) + "\n"
    page = _upload(coordinator, (head + "1;Skolegade 1;4100;Demoby;Bolig 1;A\n").encode()).text
    assert "The header row has more than 200 columns." in page
