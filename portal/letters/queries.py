"""Reads for the letters pages (counts and previews by scope live in scope.py, progress in
progress.py)."""

from sqlalchemy import Select, select

from portal.letters.models import Letter, LetterBatch

RECENT_BATCHES = 20


def recent_batches(session, limit: int = RECENT_BATCHES) -> list[LetterBatch]:
    """The newest batches first."""
    return list(session.scalars(select(LetterBatch).order_by(LetterBatch.id.desc()).limit(limit)))


def letters_of_batch(batch_id: int) -> Select:
    """A batch's letters in postal order (a statement, for paginate)."""
    return select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.position)
