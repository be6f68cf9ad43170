"""The uploaded import file between preview and confirmation, and nothing longer.

A citizen import holds every national id of the file, so the upload is never stored in clear:
`store_upload` seals the bytes with the field keyring (AES-GCM, the key id kept with the value,
the same as every stored national id) and `read_upload` opens them for the preview and the
confirmation. The sealed file is deleted (`content` NULL, `content_deleted_at` set) at the first
of three moments: the import is confirmed (`finish` in the importer), the coordinator abandons
it (or uploads another file of the same kind), or it is a day old (`expire_uploads`, run by the
hourly job). Each deletion is audited with the batch id and the reason, never the file's content.

What outlives the file is the import's result: its counts, and the skipped rows with their
reasons (`import_skipped`), which quote values of the file (an unknown district, cut to 60
characters). Those rows are working data like the file: `forget_details`, run by a nightly job,
drops them `IMPORT_DETAILS_DAYS` days after the import (counted from the confirmation, by the
app's clock); the counts stay, and the receipt says the details are no longer kept.
"""

import base64
import hashlib
import json
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.audit.services import SYSTEM, Actor, record
from portal.citizens.models import ImportBatch

PURPOSE = "import_upload"
MAX_AGE = timedelta(days=1)
# Why a sealed file was deleted -> the status a batch that was never confirmed ends in.
ENDINGS = {"confirmed": None, "abandoned": "abandoned", "expired": "expired"}


class UploadGone(LookupError):
    """The file was deleted (confirmed, abandoned or a day old): upload it again."""


def _keyring(keyring):
    return keyring if keyring is not None else current_app.extensions["keyring"]


def seal(raw: bytes, keyring=None) -> bytes:
    """The file encrypted for storage (ASCII bytes `kid:token`)."""
    text = base64.b64encode(raw).decode()
    return _keyring(keyring).encrypt(text, PURPOSE).encode()


def read_upload(batch: ImportBatch, keyring=None) -> bytes:
    """The file of a batch in clear, for the preview and the confirmation."""
    if batch.content is None:
        raise UploadGone(batch.id)
    return base64.b64decode(_keyring(keyring).decrypt(batch.content.decode(), PURPOSE))


def store_upload(
    session, filename: str, raw: bytes, user_id: int, now, kind: str = "citizens", keyring=None
) -> ImportBatch:
    """Keep the uploaded file, sealed, until the coordinator confirms (caller commits).

    The uploader's earlier unconfirmed files of the same kind are abandoned: only the newest
    preview can be confirmed, so the older files are of no use any more.
    """
    for older in session.scalars(
        select(ImportBatch).where(
            ImportBatch.uploaded_by == user_id,
            ImportBatch.kind == kind,
            ImportBatch.status == "previewed",
            ImportBatch.content.is_not(None),
        )
    ):
        discard(session, older, "abandoned", now=now, actor=Actor("user", user_id))
    batch = ImportBatch(
        kind=kind,
        filename=filename[:255],
        content=seal(raw, keyring),
        sha256=hashlib.sha256(raw).hexdigest(),
        uploaded_by=user_id,
        created_at=now,
    )
    session.add(batch)
    session.flush()
    return batch


def discard(session, batch: ImportBatch, reason: str, *, now: datetime, actor: Actor) -> None:
    """Delete a batch's file (reason: confirmed, abandoned, expired); audited, flushed."""
    if batch.content is None:
        return
    batch.content, batch.content_deleted_at = None, now
    if ENDINGS[reason] and batch.status == "previewed":
        batch.status = ENDINGS[reason]
    record(
        session,
        actor,
        "import.file_deleted",
        now=now,
        object_type="import",
        object_id=batch.id,
        data={"reason": reason, "kind": batch.kind},
    )
    session.flush()


def expire_uploads(session, *, now: datetime, actor: Actor = SYSTEM) -> list[int]:
    """Delete every stored file a day old or older; returns the batch ids (caller commits)."""
    stale = session.scalars(
        select(ImportBatch)
        .where(ImportBatch.content.is_not(None), ImportBatch.created_at <= now - MAX_AGE)
        .order_by(ImportBatch.id)
    ).all()
    for batch in stale:
        discard(session, batch, "expired", now=now, actor=actor)
    return [b.id for b in stale]


# What a result keeps once its skipped rows are dropped: when, after how many days, how many.
DETAILS_DELETED = "skipped_deleted"


def forget_details(session, *, now: datetime, days: int, actor: Actor = SYSTEM) -> list[int]:
    """Drop the skipped rows (and the file values their reasons quote) from the results of
    imports confirmed `days` days ago or earlier; returns the batch ids (caller commits)."""
    due = session.scalars(
        select(ImportBatch)
        .where(
            ImportBatch.status == "imported",
            ImportBatch.content_deleted_at <= now - timedelta(days=days),
            ImportBatch.result.contains('"skipped"'),  # not yet dropped
        )
        .order_by(ImportBatch.id)
    ).all()
    for batch in due:
        result = json.loads(batch.result)
        rows = len((result.pop("skipped", None) or {}).get("rows", []))
        result[DETAILS_DELETED] = {"on": now.isoformat(), "days": days, "rows": rows}
        batch.result = json.dumps(result)
        record(
            session,
            actor,
            "import.details_deleted",
            now=now,
            object_type="import",
            object_id=batch.id,
            data={"kind": batch.kind, "days": days, "rows": rows},
        )
    session.flush()
    return [b.id for b in due]
