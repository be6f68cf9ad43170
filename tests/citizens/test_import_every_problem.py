"""A row's problems are all reported at once (one fix, one upload), and the receipt after
confirming still says which rows were skipped and why, in the reader's language."""

import json
import re

from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.citizens import importer
from tests.citizens.csvdata import csv_bytes, row
from tests.citizens.test_import_service import OPTS, ref  # noqa: F401 (fixture)
from tests.citizens.test_import_views import coordinator, upload  # noqa: F401 (fixture)

# The reviewer's row 6: no name, no address, a language and a provider the portal does not know.
BAD = {"name": "", "address": "", "language": "fi", "provider": "Ukendt ApS"}


def test_a_row_missing_its_name_also_reports_its_language_and_provider(db, keyring, ref):  # noqa: F811
    raw = csv_bytes([row(1), row(2, **BAD), row(3, date_of_birth="", phone="1")])
    plan = importer.preview(db, keyring, raw, **OPTS)
    problems = {number: [e.column for e in errors] for number, errors in plan.error_rows}
    assert problems == {
        3: ["name", "address", "language", "provider"],
        4: ["date_of_birth", "phone"],
    }
    assert [r["external_id"] for r in plan.create] == ["CS-00001"]


def _table(html: str) -> str:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", " ", body)


def test_the_preview_lists_all_of_them_under_the_row(client, coordinator):  # noqa: F811
    client.get("/language/da")
    html = client.get(upload(client, csv_bytes([row(1), row(2, **BAD)])).location).text
    errors = _table(html)
    for text in (
        "<strong>Navn (name)</strong>: Mangler",
        "<strong>Adresse (address)</strong>: Mangler",
        "<strong>Sprog (language)</strong>: Ukendt sprog",
        "<strong>Leverandør (provider)</strong>: Ukendt leverandør: Ukendt ApS",
    ):
        assert text in errors


def test_the_receipt_lists_the_skipped_rows_and_why(client, db, coordinator):  # noqa: F811
    client.get("/language/da")
    raw = csv_bytes([row(1), row(2, **BAD), row(3, phone="1")])
    done = client.post(upload(client, raw).location)
    receipt = client.get(done.location).text
    assert "2 rækker sprunget over på grund af fejl" in receipt
    skipped = _table(receipt)
    assert skipped.startswith("<tr><td>3</td>") and "<tr><td>4</td>" in skipped
    assert "<strong>Leverandør (provider)</strong>: Ukendt leverandør: Ukendt ApS" in skipped
    assert "<strong>Telefon (phone)</strong>: Ikke et gyldigt telefonnummer" in skipped
    client.get("/language/sv")
    again = _table(client.get(done.location).text)
    assert "<strong>Utförare (provider)</strong>: Okänd utförare: Ukendt ApS" in again
    # The reasons are the receipt's, not the audit trail's: it keeps the counts only.
    audit = db.scalars(select(AuditRecord).where(AuditRecord.action == "import")).one()
    data = audit.data if isinstance(audit.data, dict) else json.loads(audit.data)
    assert "skipped" not in data and data["errors"] == 2


def test_the_receipt_in_english(client, coordinator):  # noqa: F811
    done = client.post(upload(client, csv_bytes([row(1), row(2, **BAD)])).location)
    skipped = _table(client.get(done.location).text)
    assert "<strong>Language</strong>: Unknown language (use da, sv or en)" in skipped
    assert "Rows that were skipped" in client.get(done.location).text


def test_citizens_that_change_name_the_columns_too(client, coordinator):  # noqa: F811
    client.get("/language/da")
    client.post(upload(client, csv_bytes([row(1)])).location)
    changed = csv_bytes([row(1, phone="20 12 34 57", provider="Omsorg Plus ApS", care_group="")])
    html = client.get(upload(client, changed).location).text
    changes = _table(html.split("Borgere, der ændres")[-1])
    assert "Telefon (phone), Leverandør (provider), Plejegruppe (care_group)" in changes
