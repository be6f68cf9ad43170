"""Right of access: the export holds every kind of record the portal keeps about a citizen."""

import hashlib
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import Actor, record
from portal.extensions import db as sa_db
from portal.privacy import catalog, export
from portal.privacy.pdf import export_pdf
from tests.factories import NOW, make_citizen, make_user
from tests.helpers import sign_in_staff
from tests.privacy.support import make_everything

CHILDREN = {"change_document", "job_photo", "cabinet_key_event", "lock_event"}


def _tables():
    return {t.name for t in catalog.citizen_tables(sa_db.metadata)}


def _section(data, key):
    return next(s for s in data["sections"] if s["key"] == key)


def test_every_table_that_references_a_citizen_is_described_and_kept_for_a_time(app):
    tables = _tables()
    assert tables, "the metadata names no citizen table: the inspection is broken"
    undescribed = sorted(t for t in tables if t not in catalog.SECTIONS or t not in catalog.TABLES)
    assert not undescribed, f"add these citizen tables to portal/privacy/catalog.py: {undescribed}"
    assert set(catalog.TABLES) == tables  # nothing described that no longer exists
    assert {kind for kind, _ in catalog.TABLES.values()} <= set(catalog.KIND_KEYS)


def test_the_export_holds_one_record_of_every_kind(db, keyring):
    citizen, ids = make_everything(db)
    other = make_citizen(db, name="Ulla Anden")
    record(
        db,
        Actor("user", 7, "Kim Koordinator"),
        "citizen.viewed",
        now=NOW,
        object_type="citizen",
        object_id=citizen.id,
        data={"purpose": "phone call", "page": "detail"},
    )
    record(
        db,
        Actor("user", 7),
        "citizen.viewed",
        now=NOW,
        object_type="citizen",
        object_id=other.id,
        data={"purpose": "not about Agnes"},
    )
    # The test must create every kind: a new citizen table needs a row in make_everything.
    assert _tables() <= set(ids), f"make_everything lacks: {sorted(_tables() - set(ids))}"
    data = export.build(db, keyring, citizen, now=NOW, lang="da")
    for table in _tables():
        rows = _section(data, table)["rows"]
        assert [r["id"] for r in rows] == [ids[table]], table
    related = set()
    for section in data["sections"]:
        related |= set(section["related"])
        assert section["purpose"] and section["legal_basis"], section["key"]
    assert related >= CHILDREN
    person = _section(data, "citizen")["rows"][0]
    assert person["name"] == "Agnes Testesen" and len(person["national_id"]) == 10
    assert not [k for k in person if "letter_code" in k or k.endswith("_index")]
    assert _section(data, "consent")["rows"][0]["entrances"]
    audit = _section(data, "audit")["rows"]
    assert [(r["action"], r["purpose"]) for r in audit if r["action"] == "citizen.viewed"] == [
        ("citizen.viewed", "phone call")
    ]
    text = json.dumps(data, ensure_ascii=False)
    assert "Ulla Anden" not in text and "not about Agnes" not in text
    # Texts in the citizen's language (Danish here).
    assert _section(data, "relative")["title"] == "Pårørende"


def test_the_pdf_is_tagged_in_the_citizens_language(db, keyring, app):
    citizen, _ = make_everything(db)
    for lang in ("da", "sv"):
        with app.test_request_context():
            pdf = export_pdf(export.build(db, keyring, citizen, now=NOW, lang=lang))
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert root["/Lang"] == lang
        words = " ".join(p.extract_text() for p in reader.pages)
        assert "Agnes Testesen" in words
        assert {"da": "Pårørende", "sv": "Anhöriga"}[lang] in words


@pytest.fixture
def coordinator(db):
    user = make_user(db, "coordinator")
    db.commit()
    return user


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_downloading_the_export_is_audited(client, db, coordinator, fmt):
    citizen, _ = make_everything(db)
    db.commit()
    sign_in_staff(client, coordinator)
    response = client.post(f"/coordinator/citizens/{citizen.id}/data-export.{fmt}")
    assert response.status_code == 200
    assert response.mimetype == {"json": "application/json", "pdf": "application/pdf"}[fmt]
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store, private"
    logged = db.scalars(select(AuditRecord).where(AuditRecord.action == "privacy.exported")).all()
    assert [(r.object_id, r.data["format"], r.data["sha256"]) for r in logged] == [
        (str(citizen.id), fmt, hashlib.sha256(response.data).hexdigest())
    ]
    assert r"Agnes" not in json.dumps(logged[0].data)


def test_the_panel_offers_both_downloads_to_coordinators(client, db, coordinator):
    citizen, _ = make_everything(db)
    db.commit()
    sign_in_staff(client, coordinator)
    html = client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)
    assert f"/coordinator/citizens/{citizen.id}/data-export.pdf" in html
    assert f"/coordinator/citizens/{citizen.id}/data-export.json" in html


@pytest.mark.parametrize(
    "path, status",
    [
        ("/coordinator/citizens/{id}/data-export.xml", 404),
        ("/coordinator/citizens/999999/data-export.json", 404),
        ("/coordinator/citizens/x/data-export.json", 404),
        ("/coordinator/citizens/{id}/data-export.<script>", 404),
    ],
)
def test_bad_requests_write_nothing(client, db, coordinator, path, status):
    citizen = make_citizen(db)
    db.commit()
    sign_in_staff(client, coordinator)
    assert client.post(path.format(id=citizen.id)).status_code == status
    assert client.get(f"/coordinator/citizens/{citizen.id}/data-export.json").status_code == 405
    assert not db.scalars(select(AuditRecord).where(AuditRecord.action == "privacy.exported")).all()


@pytest.mark.parametrize("role", ["locksmith", "provider_admin", "partner_admin"])
def test_only_coordinators_export(client, db, role):
    citizen = make_citizen(db)
    user = make_user(db, role)
    db.commit()
    sign_in_staff(client, user)
    assert client.post(f"/coordinator/citizens/{citizen.id}/data-export.json").status_code == 403


def test_the_export_counts_against_the_pdf_budget(client, db, coordinator, app, monkeypatch):
    """Building and laying out the access export costs CPU as a letter does: past the
    per-principal budget (portal.web.limits) the 429 page, nothing built and nothing audited."""
    monkeypatch.setitem(app.config, "LETTER_RENDER_LIMIT", "2 per minute")
    citizen = make_citizen(db)
    db.commit()
    sign_in_staff(client, coordinator)
    url = f"/coordinator/citizens/{citizen.id}/data-export"
    answers = [client.post(f"{url}.{fmt}") for fmt in ("json", "pdf", "pdf")]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "For mange forsøg" in answers[2].get_data(as_text=True)  # the default language
    logged = db.scalars(select(AuditRecord).where(AuditRecord.action == "privacy.exported")).all()
    assert sorted(r.data["format"] for r in logged) == ["json", "pdf"]
