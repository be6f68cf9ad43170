"""The uploaded import file: never stored in clear, deleted when confirmed, abandoned or a day
old, and the migration's data step deletes the clear files kept before."""

import base64
import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.audit.models import AuditRecord
from portal.audit.services import verify_chain
from portal.citizens import uploads
from portal.citizens.models import ImportBatch
from portal.citizens.tasks import delete_stale_uploads
from portal.extensions import db as sa_db
from tests.citizens.csvdata import csv_bytes, row
from tests.citizens.test_import_views import coordinator, upload  # noqa: F401
from tests.factories import NOW
from tests.test_migrations import empty_database  # noqa: F401

ROWS = [row(1), row(2), row(3)]
NATIONAL_IDS = [r["national_id"] for r in ROWS]


def _every_stored_value(db):
    """Every value of every row of every table, as text (bytes decoded, base64 opened too)."""
    for table in sa_db.metadata.sorted_tables:
        for found in db.execute(select(table)).all():
            for value in found:
                if isinstance(value, bytes | memoryview):
                    raw = bytes(value)
                    yield raw.decode("latin-1")
                    with contextlib.suppress(ValueError):
                        yield base64.b64decode(raw, validate=False).decode("latin-1")
                elif value is not None:
                    yield str(value)


def _clear_ids_stored(db) -> set[str]:
    found = set()
    for value in _every_stored_value(db):
        for nid in NATIONAL_IDS:
            if nid in value or f"{nid[:6]}-{nid[6:]}" in value:
                found.add(nid)
    return found


def _batch(db) -> ImportBatch:
    db.expire_all()
    return db.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))


def test_a_previewed_upload_holds_no_clear_national_id(client, db, coordinator):  # noqa: F811
    response = upload(client, csv_bytes(ROWS))
    assert response.status_code == 303
    assert client.get(response.location).status_code == 200  # the preview reads it back
    batch = _batch(db)
    assert batch.content is not None and batch.status == "previewed"
    assert _clear_ids_stored(db) == set()
    assert uploads.read_upload(batch) == csv_bytes(ROWS)  # sealed, not lost


def test_confirming_deletes_the_file(client, db, coordinator):  # noqa: F811
    preview = upload(client, csv_bytes(ROWS)).location
    assert client.post(preview).status_code == 303
    batch = _batch(db)
    assert batch.status == "imported" and batch.content is None
    assert batch.content_deleted_at is not None
    # The citizens are registered; their national ids only encrypted.
    assert _clear_ids_stored(db) == set()
    reasons = [
        r.data["reason"]
        for r in db.scalars(select(AuditRecord).filter_by(action="import.file_deleted"))
    ]
    assert reasons == ["confirmed"]


def test_abandoning_deletes_the_file(client, db, coordinator):  # noqa: F811
    preview = upload(client, csv_bytes(ROWS)).location
    batch_id = _batch(db).id
    response = client.post(f"/coordinator/import/{batch_id}/abandon")
    assert response.status_code == 303 and response.location.endswith("/coordinator/import")
    batch = _batch(db)
    assert batch.status == "abandoned" and batch.content is None
    # The preview and the result of an abandoned upload send the coordinator to upload again.
    again = client.get(preview)
    assert again.status_code == 303 and again.location.endswith("/coordinator/import")
    assert client.post(preview).status_code == 303  # confirming it imports nothing
    assert _batch(db).status == "abandoned"
    assert client.post(f"/coordinator/import/{batch_id}/abandon").status_code == 303  # twice


def test_a_new_upload_abandons_the_older_one(client, db, coordinator):  # noqa: F811
    upload(client, csv_bytes(ROWS))
    first = _batch(db).id
    upload(client, csv_bytes(ROWS[:1]))
    assert db.get(ImportBatch, first).status == "abandoned"
    assert db.get(ImportBatch, first).content is None
    assert _batch(db).content is not None


def test_a_day_old_upload_is_deleted_by_the_job(client, db, coordinator, clock):  # noqa: F811
    upload(client, csv_bytes(ROWS))
    batch = _batch(db)
    clock.set(batch.created_at + timedelta(days=1) - timedelta(seconds=1))
    assert delete_stale_uploads.call_local() == []
    assert _batch(db).content is not None
    clock.set(batch.created_at + timedelta(days=1))
    assert delete_stale_uploads.call_local() == [batch.id]
    batch = _batch(db)
    assert batch.status == "expired" and batch.content is None
    assert delete_stale_uploads.call_local() == []
    assert verify_chain(db)[1] is None


def test_property_uploads_are_sealed_too(db, coordinator):  # noqa: F811
    batch = uploads.store_upload(
        db, "p.csv", b"address\nBlokvej 1\n", coordinator.id, NOW, kind="properties"
    )
    assert b"Blokvej" not in batch.content
    assert uploads.read_upload(batch) == b"address\nBlokvej 1\n"
    uploads.discard(db, batch, "expired", now=NOW, actor=coordinator.actor)
    with pytest.raises(uploads.UploadGone):
        uploads.read_upload(batch)


def test_the_migration_deletes_the_clear_files_kept_before(empty_database, tmp_path):  # noqa: F811
    from flask_migrate import upgrade

    from portal import create_app
    from tests.conftest import make_test_config

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0014_audit")
        with sa_db.engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, role, password_hash, active,'
                    " session_version, created_at) VALUES (1, 'k@x.dk', 'K', 'coordinator', 'x',"
                    " true, 1, '2026-05-04 10:00:00+00:00')"
                )
            )
            for n, status in ((1, "previewed"), (2, "imported")):
                conn.execute(
                    text(
                        "INSERT INTO import_batch (id, filename, content, sha256, kind,"
                        " uploaded_by, status, created_at) VALUES (:n, 'a.csv', :c, 'h',"
                        " 'citizens', 1, :s, '2026-05-04 10:00:00+00:00')"
                    ),
                    {"n": n, "c": csv_bytes(ROWS), "s": status},
                )
        upgrade(revision="0015_gdpr")
        with sa_db.engine.begin() as conn:
            rows = conn.execute(
                text("SELECT id, status, content, content_deleted_at FROM import_batch ORDER BY id")
            ).all()
        assert [(r[0], r[1], r[2]) for r in rows] == [(1, "expired", None), (2, "imported", None)]
        assert all(r[3] is not None for r in rows)
        sa_db.engine.dispose()
