"""Files attached to a change request: PDF, JPEG or PNG, checked by their first bytes (the
name and the browser's type are not trusted), at most a configured size, kept in the database
with the request (so every web process and a backup of the database see them). A picture is
decoded and written again (`documents.pictures`), so a phone photo of a death certificate does
not keep where and when it was taken."""

import hashlib
import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.audit.services import Actor, record
from portal.changes.models import ChangeDocument, ChangeRequest
from portal.changes.rules import ChangeError
from portal.documents import pictures

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
PICTURE_FORMATS = {"image/jpeg": {"JPEG"}, "image/png": {"PNG"}}
MAX_PIXELS = 50_000_000  # a page scanned at 600 dpi is about 35 million
MAX_DOCUMENTS = 10
# Across all of a citizen's requests: a withdrawn request keeps its files, so without this a
# citizen (or whoever has their letter's code) could submit, attach ten files, withdraw and
# start again until the database's disk is full.
MAX_PER_CITIZEN = 30


class BadDocument(ChangeError):
    message = _l("The file must be a PDF, JPEG or PNG.")
    field = "document"


class TooLarge(ChangeError):
    message = _l("The file must be smaller than %(mb)s MB.")
    field = "document"


class TooManyPixels(ChangeError):
    message = _l("The picture is too large: it may have at most %(megapixels)s million pixels.")
    field = "document"


class TooMany(ChangeError):
    message = _l("A request can have at most %(count)s files.")
    field = "document"


class TooManyForCitizen(ChangeError):
    message = _l(
        "%(count)s files have already been attached to the requests, the most the portal "
        "keeps. Call us to send more."
    )
    field = "document"


def sniff(data: bytes) -> str | None:
    """The content type the bytes start with, or None for anything else."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def safe_name(name: str) -> str:
    """A file name without paths or odd characters (for the download header)."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .") or "document"
    return cleaned[:120]


def _documents_of_citizen(session, citizen_id: int) -> int:
    return session.scalar(
        select(func.count(ChangeDocument.id))
        .join(ChangeRequest, ChangeRequest.id == ChangeDocument.request_id)
        .where(ChangeRequest.citizen_id == citizen_id)
    )


def attach(
    session,
    req: ChangeRequest,
    filename: str,
    data: bytes,
    *,
    max_bytes: int,
    now: datetime,
    actor: Actor,
    from_citizen: bool = True,
) -> ChangeDocument:
    """Attach a checked file to the request (audited; the bytes are not in the audit record).
    `from_citizen`: the citizen's side, which may keep at most MAX_PER_CITIZEN files."""
    if len(data) > max_bytes:
        raise TooLarge(mb=max_bytes // (1024 * 1024) or 1)
    kind = sniff(data)
    if kind is None or not data:
        raise BadDocument()
    if kind in PICTURE_FORMATS:
        try:
            data, kind = pictures.clean(data, formats=PICTURE_FORMATS[kind], max_pixels=MAX_PIXELS)
        except pictures.TooManyPixels:
            raise TooManyPixels(megapixels=MAX_PIXELS // 1_000_000) from None
        except pictures.NotAPicture:
            raise BadDocument() from None
    if len(req.documents) >= MAX_DOCUMENTS:
        raise TooMany(count=MAX_DOCUMENTS)
    if from_citizen and _documents_of_citizen(session, req.citizen_id) >= MAX_PER_CITIZEN:
        raise TooManyForCitizen(count=MAX_PER_CITIZEN)
    doc = ChangeDocument(
        request_id=req.id,
        filename=safe_name(filename),
        content_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=actor.describe()[:300],
        created_at=now,
    )
    session.add(doc)
    session.flush()
    record(
        session,
        actor,
        "change.document_attached",
        now=now,
        object_type="change_request",
        object_id=req.id,
        data={"document_id": doc.id, "sha256": doc.sha256, "size": doc.size, "type": kind},
    )
    return doc
