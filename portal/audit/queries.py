"""Reads of the audit log: an object's history."""

from sqlalchemy import select

from portal.audit.models import AuditRecord


def latest_for_object(session, object_type: str, object_id, actions=None) -> AuditRecord | None:
    """The newest record about one object (optionally only these actions)."""
    stmt = select(AuditRecord).where(
        AuditRecord.object_type == object_type, AuditRecord.object_id == str(object_id)
    )
    if actions is not None:
        stmt = stmt.where(AuditRecord.action.in_(actions))
    return session.scalar(stmt.order_by(AuditRecord.seq.desc()).limit(1))
