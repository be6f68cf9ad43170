"""The optional photo of a restored door: checked, re-encoded and kept in the database.

Only JPEG, PNG and WebP pictures up to MAX_BYTES are taken. Each is decoded and written again
as a JPEG no larger than MAX_SIDE pixels, so nothing but pixels is kept (no EXIF, no GPS
position, no script or polyglot tail) and what the coordinator's browser gets is always an
image/jpeg it made itself.
"""

import hashlib
from datetime import datetime

from portal.documents import pictures
from portal.locksmith.models_photos import JobPhoto
from portal.locksmith.services import JobError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoRejected(JobError):
    """The upload is too large or not a picture we take ("too_large" / "not_image")."""


def prepare(raw: bytes) -> bytes:
    """The picture as a clean JPEG; PhotoRejected when it is too large or not a picture."""
    if len(raw) > MAX_BYTES:
        raise PhotoRejected("too_large")
    try:
        data, _kind = pictures.clean(
            raw, formats=FORMATS, max_pixels=MAX_PIXELS, max_side=MAX_SIDE, keep_png=False
        )
    except pictures.TooManyPixels:
        raise PhotoRejected("too_large") from None
    except pictures.NotAPicture:
        raise PhotoRejected("not_image") from None
    return data


def store(session, job, raw: bytes, *, now: datetime, uploader_id: int | None) -> JobPhoto:
    """Keep the cleaned picture as the job's photo (a second upload replaces the first)."""
    data = prepare(raw)
    photo = session.query(JobPhoto).filter_by(job_id=job.id).one_or_none()
    if photo is None:
        photo = JobPhoto(job_id=job.id)
        session.add(photo)
    photo.content_type, photo.size, photo.data = "image/jpeg", len(data), data
    photo.sha256 = hashlib.sha256(data).hexdigest()
    photo.uploaded_at, photo.uploaded_by = now, uploader_id
    session.flush()
    return photo


def photo_of(session, job_id: int) -> JobPhoto | None:
    """The job's photo, if one was taken."""
    return session.query(JobPhoto).filter_by(job_id=job_id).one_or_none()
