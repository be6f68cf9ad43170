"""Letters as plain services: single PDFs, and a batch's life (create, cancel, resume, posted).

Services take the session and `now`, raise named errors and commit their own unit of work,
audit record included. The rendering of a batch itself lives in `portal.letters.batch`.
"""

import errno
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update

from portal import clock
from portal.audit.services import record
from portal.citizens import lifecycle
from portal.citizens.lifecycle import CitizenStatus as S
from portal.citizens.models import Citizen
from portal.clock import as_utc
from portal.letters import content
from portal.letters.booking_letter import booking_confirmation_pdf  # noqa: F401 (contract)
from portal.letters.models import Letter, LetterBatch
from portal.letters.scope import Scope, recipients

STALE_SECONDS_DEFAULT = 120
DISK_FULL = "disk-full"  # the note of a batch that stopped because the disk was full
INFORMATION_TEMPLATE = "letters/print/information.html"


class LetterError(Exception):
    """Base of the letters feature's domain errors."""


class CitizenNotFound(LetterError):
    """No such citizen."""


class NothingToSend(LetterError):
    """The chosen scope has no citizens who should get a letter."""


class BatchNotFound(LetterError):
    """No such batch."""


class BatchStateError(LetterError):
    """The batch is not in a state that allows this (e.g. posting a running batch)."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def _app_defaults(config, keyring, now):
    return (
        config if config is not None else current_app.config,
        keyring if keyring is not None else current_app.extensions["keyring"],
        now or clock.now(),
    )


def information_letter_html(
    session, citizen_id: int, *, config=None, keyring=None, now=None, **render_options
) -> str:
    """The information letter's HTML in the citizen's language."""
    config, keyring, now = _app_defaults(config, keyring, now)
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise CitizenNotFound(citizen_id)
    context = content.information_context(citizen, config=config, keyring=keyring, now=now)
    return content.render_letter(INFORMATION_TEMPLATE, context, **render_options)


def information_letter_pdf(
    session, citizen_id: int, *, config=None, keyring=None, now=None
) -> bytes:
    """The information letter as a tagged PDF, in the citizen's language."""
    config, keyring, now = _app_defaults(config, keyring, now)
    html = information_letter_html(session, citizen_id, config=config, keyring=keyring, now=now)
    return content.letter_pdf(html, config)


def stale_after(config) -> timedelta:
    """How long a running batch may be silent before it counts as interrupted."""
    return timedelta(seconds=int(config.get("LETTER_BATCH_STALE_SECONDS", STALE_SECONDS_DEFAULT)))


def is_disk_full(exc: BaseException | None) -> bool:
    """An error that means no space is left (or the quota is used up) where files are written."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def is_stalled(batch: LetterBatch, now, config) -> bool:
    """A queued or running batch whose worker has not reported for a while."""
    if batch.status not in ("queued", "running"):
        return False
    last = as_utc(batch.heartbeat_at or batch.created_at)
    return now - last > stale_after(config)


def create_batch(
    session,
    scope: Scope,
    *,
    only_new: bool,
    actor,
    now,
    config=None,
    base_dir: Path | None = None,
    directory: Path | None = None,
    created_by: int | None = None,
) -> LetterBatch:
    """Snapshot the recipients as pending letters of a new batch (queued, not yet running).

    Files go to `directory`, or to `base_dir/<batch id>` (default instance/letters/<id>)."""
    config = config if config is not None else current_app.config
    rows = session.execute(
        recipients(scope, only_new).with_only_columns(Citizen.id, Citizen.language)
    ).all()
    if not rows:
        raise NothingToSend(scope.label)
    batch = LetterBatch(
        kind="information",
        district_id=scope.district_id,
        campaign_id=scope.campaign_id,
        scope_label=scope.label,
        only_new=only_new,
        status="queued",
        created_by=created_by,
        created_at=now,
        heartbeat_at=now,
        total=len(rows),
    )
    session.add(batch)
    session.flush()
    if directory is None:
        base_dir = Path(base_dir or Path(current_app.instance_path) / "letters")
        directory = base_dir / str(batch.id)
    batch.directory = str(Path(directory).resolve())
    session.add_all(
        Letter(
            citizen_id=cid,
            batch_id=batch.id,
            kind="information",
            position=i,
            reference=content.reference_for_id(cid, config),
            language=lang,
            status="pending",
            created_at=now,
        )
        for i, (cid, lang) in enumerate(rows, start=1)
    )
    record(
        session,
        actor,
        "letters.batch_created",
        now=now,
        object_type="letter_batch",
        object_id=batch.id,
        data={"scope": scope.key, "only_new": only_new, "total": len(rows)},
    )
    return batch


def get_batch(session, batch_id: int) -> LetterBatch:
    """The batch, or BatchNotFound."""
    batch = session.get(LetterBatch, batch_id)
    if batch is None:
        raise BatchNotFound(batch_id)
    return batch


def cancel_batch(session, batch_id: int, *, actor, now, config=None) -> LetterBatch:
    """Ask the worker to stop after the letters in hand; a batch nobody runs stops at once."""
    config = config if config is not None else current_app.config
    batch = get_batch(session, batch_id)
    if batch.status not in ("queued", "running", "interrupted"):
        raise BatchStateError(batch.status)
    if batch.status in ("queued", "interrupted") or is_stalled(batch, now, config):
        batch.status, batch.run_token = "cancelled", None
    batch.cancel_requested = True
    record(
        session,
        actor,
        "letters.batch_cancelled",
        now=now,
        object_type="letter_batch",
        object_id=batch.id,
    )
    return batch


def resume_batch(session, batch_id: int, *, actor, now, config=None) -> LetterBatch:
    """Queue a cancelled, interrupted or partly failed batch again; only what is missing is made."""
    config = config if config is not None else current_app.config
    batch = get_batch(session, batch_id)
    failed = session.scalar(
        select(func.count()).where(Letter.batch_id == batch.id, Letter.status == "failed")
    )
    resumable = (
        batch.status in ("cancelled", "interrupted")
        or (batch.status == "done" and failed)
        or is_stalled(batch, now, config)
    )
    if not resumable:
        raise BatchStateError(batch.status)
    batch.status, batch.cancel_requested, batch.run_token = "queued", False, None
    batch.heartbeat_at = now
    record(
        session,
        actor,
        "letters.batch_resumed",
        now=now,
        object_type="letter_batch",
        object_id=batch.id,
    )
    return batch


def mark_posted(session, batch_id: int, *, actor, now, user_id: int | None = None) -> LetterBatch:
    """Record that the printed letters went out: each letter gets its posted date, and each
    citizen who was only registered becomes "letter sent" (later statuses are kept)."""
    batch = get_batch(session, batch_id)
    if batch.status != "done":
        raise BatchStateError(batch.status)
    done = select(Letter.citizen_id).where(Letter.batch_id == batch.id, Letter.status == "done")
    session.execute(
        update(Letter)
        .where(Letter.batch_id == batch.id, Letter.status == "done")
        .values(posted_at=now)
    )
    # Only registered citizens change; loading just those keeps the lifecycle the only writer.
    waiting = select(Citizen).where(Citizen.id.in_(done), Citizen.status == S.REGISTERED)
    promoted = 0
    for citizen in session.scalars(waiting).all():
        lifecycle.letter_sent(citizen)
        promoted += 1
    batch.status, batch.posted_at, batch.posted_by = "posted", now, user_id
    record(
        session,
        actor,
        "letters.batch_posted",
        now=now,
        object_type="letter_batch",
        object_id=batch.id,
        data={"citizens_now_letter_sent": promoted},
    )
    return batch


def record_single_posted(session, citizen_id: int, *, actor, now, config=None) -> Letter:
    """A reprinted information letter was posted by hand: keep it on the citizen's record."""
    config = config if config is not None else current_app.config
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise CitizenNotFound(citizen_id)
    letter = Letter(
        citizen_id=citizen.id,
        kind="information",
        reference=content.reference_of(citizen, config),
        language=content.language_of(citizen, config),
        status="done",
        created_at=now,
        rendered_at=now,
        posted_at=now,
        recipient_name=citizen.name,
        recipient_address=f"{citizen.address}, {citizen.postcode} {citizen.city}",
    )
    session.add(letter)
    lifecycle.letter_sent(citizen)
    session.flush()
    record(
        session,
        actor,
        "letters.single_posted",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"letter_id": letter.id},
    )
    return letter


def letters_of(session, citizen_id: int) -> list[Letter]:
    """A citizen's letters, newest first (for their record)."""
    return session.scalars(
        select(Letter)
        .where(Letter.citizen_id == citizen_id, Letter.status != "pending")
        .order_by(Letter.created_at.desc(), Letter.id.desc())
    ).all()
