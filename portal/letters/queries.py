"""Reads for the letters pages (counts and previews by scope live in scope.py, progress in
progress.py)."""

from sqlalchemy import Select, func, select

from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.letters.models import Letter, LetterBatch

RECENT_BATCHES = 20


def recent_batches(session, limit: int = RECENT_BATCHES) -> list[LetterBatch]:
    """The newest batches first."""
    return list(session.scalars(select(LetterBatch).order_by(LetterBatch.id.desc()).limit(limit)))


def letters_of_batch(batch_id: int) -> Select:
    """A batch's letters in postal order (a statement, for paginate)."""
    return select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.position)


def posting_counts(session, batch_id: int) -> tuple[int, int]:
    """Letters made in the batch, and how many of their citizens are only registered (and so
    become "letter sent" when the batch is recorded as posted)."""
    made = select(Letter.citizen_id).where(Letter.batch_id == batch_id, Letter.status == "done")
    letters = session.scalar(select(func.count()).select_from(made.subquery()))
    promoted = session.scalar(
        select(func.count())
        .select_from(Citizen)
        .where(Citizen.id.in_(made), Citizen.status == CitizenStatus.REGISTERED)
    )
    return letters, promoted
