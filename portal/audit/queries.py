"""Reads of the audit log: an object's history, and the audit browser's search."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.audit.models import AuditRecord


def latest_for_object(session, object_type: str, object_id, actions=None) -> AuditRecord | None:
    """The newest record about one object (optionally only these actions)."""
    stmt = select(AuditRecord).where(
        AuditRecord.object_type == object_type, AuditRecord.object_id == str(object_id)
    )
    if actions is not None:
        stmt = stmt.where(AuditRecord.action.in_(actions))
    return session.scalar(stmt.order_by(AuditRecord.seq.desc()).limit(1))


@dataclass(frozen=True)
class AuditFilter:
    """What the audit browser searches: who, what, which object, when (UTC bounds)."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session, f: AuditFilter, *, before: int | None = None, limit: int = 25):
    """A page of records, newest first, older than seq `before`; returns (records, more?).

    Keyset pagination on seq: every page costs the same however deep it is.
    """
    stmt = select(AuditRecord)
    if f.actor:
        pattern = f"%{_like(f.actor.lower())}%"
        stmt = stmt.where(func.lower(AuditRecord.actor).like(pattern, escape="\\"))
    if f.action:
        stmt = stmt.where(AuditRecord.action.like(f"{_like(f.action)}%", escape="\\"))
    if f.object_type:
        stmt = stmt.where(AuditRecord.object_type == f.object_type)
    if f.object_id:
        stmt = stmt.where(AuditRecord.object_id == f.object_id)
    if f.start is not None:
        stmt = stmt.where(AuditRecord.at >= f.start)
    if f.end is not None:
        stmt = stmt.where(AuditRecord.at < f.end)
    if before is not None:
        stmt = stmt.where(AuditRecord.seq < before)
    rows = session.scalars(stmt.order_by(AuditRecord.seq.desc()).limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit
