"""An import's receipt keeps the skipped rows and why (their reasons quote the file's values)
only for IMPORT_DETAILS_DAYS after the import: the nightly job drops them by the app's clock,
the counts stay, the drop is audited, and the receipt then says the details are no longer kept
(en/da/sv) for both imports."""

import io
import json
import re
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM, verify_chain
from portal.citizens import import_skipped, importer, uploads
from portal.citizens.import_rows import RowError
from portal.citizens.models import ImportBatch
from portal.citizens.tasks import forget_import_details
from tests.citizens.csvdata import csv_bytes, row
from tests.citizens.test_import_views import coordinator, upload  # noqa: F401 (fixture)
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff

QUOTED = "Hemmelig Vej 7"  # a value of the file that a reason quotes
DAYS = 90


def _confirmed(db, errors, *, at=NOW):
    user = make_user(db, "coordinator")
    batch = uploads.store_upload(db, "f.csv", b"x", user.id, at)
    skipped = import_skipped.dump(errors, {})
    importer.finish(db, batch, {"errors": len(errors)}, actor=SYSTEM, now=at, skipped=skipped)
    db.commit()
    return batch


def _unknown_district(number):
    return RowError(number, "district", _l("Unknown district: %(name)s", name=QUOTED))


def test_the_skipped_rows_go_on_the_day_their_days_have_passed(app, db):
    with app.test_request_context():
        batch = _confirmed(db, [_unknown_district(3), _unknown_district(5)])
        clean = _confirmed(db, [])  # nothing skipped: nothing personal, the marker only
    assert QUOTED in batch.result
    assert uploads.forget_details(db, now=NOW + timedelta(days=DAYS, seconds=-1), days=DAYS) == []
    gone = uploads.forget_details(db, now=NOW + timedelta(days=DAYS), days=DAYS)
    assert gone == [batch.id, clean.id]
    db.commit()
    result = json.loads(db.get(ImportBatch, batch.id).result)
    assert QUOTED not in db.get(ImportBatch, batch.id).result and "skipped" not in result
    assert result["errors"] == 2 and result["skipped_deleted"]["rows"] == 2  # counts stay
    assert import_skipped.load(result, str).deleted_after == DAYS
    assert import_skipped.load(json.loads(clean.result), str).deleted_after is None
    audits = db.scalars(
        select(AuditRecord).where(AuditRecord.action == "import.details_deleted")
    ).all()
    assert [a.object_id for a in audits] == [str(batch.id), str(clean.id)]
    assert QUOTED not in json.dumps([a.data for a in audits], default=str)
    assert uploads.forget_details(db, now=NOW + timedelta(days=400), days=DAYS) == []  # once
    assert verify_chain(db)[1] is None


def test_the_job_reads_the_apps_clock_and_the_setting(app, db, clock, monkeypatch):
    with app.test_request_context():
        batch = _confirmed(db, [_unknown_district(3)])
    monkeypatch.setitem(app.config, "IMPORT_DETAILS_DAYS", 30)
    clock.set(NOW + timedelta(days=29))
    assert forget_import_details.call_local() == []
    clock.set(NOW + timedelta(days=30))
    assert forget_import_details.call_local() == [batch.id]
    db.expire_all()
    assert QUOTED not in db.get(ImportBatch, batch.id).result


NO_LONGER = {
    "en": "Which rows were skipped, and why, is no longer kept: these details are deleted "
    "90 days after an import",
    "da": "Hvilke rækker der blev sprunget over, og hvorfor, gemmes ikke længere: de "
    "oplysninger slettes 90 dage efter en import",
    "sv": "Vilka rader som hoppades över, och varför, sparas inte längre: de uppgifterna "
    "raderas 90 dagar efter en import",
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("&#39;", "'")


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_the_citizen_receipt_says_they_are_gone(client, coordinator, clock, lang):  # noqa: F811
    client.get(f"/language/{lang}")
    done = client.post(upload(client, csv_bytes([row(1), row(2, provider=QUOTED)])).location)
    before = client.get(done.location).text
    assert QUOTED in before and NO_LONGER[lang] not in _text(before)
    clock.advance(timedelta(days=DAYS))
    assert forget_import_details.call_local() != []
    sign_in_staff(client, coordinator)  # the session of 90 days ago has ended
    client.get(f"/language/{lang}")
    after = client.get(done.location)
    assert after.status_code == 200 and QUOTED not in after.text
    assert NO_LONGER[lang] in _text(after.text) and "<tbody>" not in after.text


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_the_property_receipt_says_it_too(client, coordinator, clock, lang):  # noqa: F811
    client.get(f"/language/{lang}")
    raw = "address;postcode;city;district;owner;entrance\n"
    raw += f"Skolegade 1;4100;Demoby;;Bolig;A\nSkolegade 2;4100;Demoby;{QUOTED};Bolig;A\n"
    preview = client.post(
        "/coordinator/properties/import",
        data={"file": (io.BytesIO(raw.encode()), "ejendomme.csv")},
    ).location
    done = client.post(preview)
    assert QUOTED in client.get(done.location).text
    clock.advance(timedelta(days=DAYS))
    forget_import_details.call_local()
    sign_in_staff(client, coordinator)
    client.get(f"/language/{lang}")
    after = client.get(done.location).text
    assert QUOTED not in after and NO_LONGER[lang] in _text(after)
