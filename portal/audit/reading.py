"""Reading a citizen's record is audited: who looked, when, on which page and why.

Each time a staff user opens a page showing one citizen's record, `citizen.viewed` is written
with object ("citizen", str(id)) and data {"purpose": <code>, "page": <endpoint>}; the GDPR
export lists these as "who looked at the record". The purpose is the role's usual one
(ROLE_PURPOSE; labels in PURPOSES). At most one record per user and citizen every
VIEW_WINDOW, so paging back and forth does not flood the log. A citizen reading their own
record is not audited (it is theirs).
"""

from datetime import datetime, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditRecord
from portal.audit.services import Actor, record
from portal.connections import write_after_all
from portal.extensions import db

VIEWED = "citizen.viewed"
VIEW_WINDOW = timedelta(minutes=5)
PURPOSES = {
    "case_handling": _l("Case handling"),
    "fitting": _l("Fitting or servicing the door lock"),
    "care_delivery": _l("Planning home care"),
}
ROLE_PURPOSE = {"coordinator": "case_handling", "locksmith": "fitting"}
DEFAULT_PURPOSE = "care_delivery"


def citizen_viewed(
    session, actor: Actor, citizen_id: int, *, page: str, purpose: str, now: datetime
) -> AuditRecord | None:
    """Audit that `actor` read the citizen's record, unless they did within VIEW_WINDOW."""
    who = actor.describe()
    recent = session.scalar(
        select(AuditRecord.seq)
        .where(
            AuditRecord.object_type == "citizen",
            AuditRecord.object_id == str(citizen_id),
            AuditRecord.action == VIEWED,
            AuditRecord.actor == who,
            AuditRecord.at > now - VIEW_WINDOW,
        )
        .limit(1)
    )
    if recent is not None:
        return None
    write_after_all(session)  # opening a page is a GET, which otherwise only reads
    return record(
        session,
        actor,
        VIEWED,
        now=now,
        object_type="citizen",
        object_id=citizen_id,
        data={"purpose": purpose, "page": page},
    )


def note_citizen_view(citizen_id: int) -> AuditRecord | None:
    """For a view: audit the signed-in staff user's reading of `citizen` (the view commits)."""
    if not current_user.is_authenticated or current_user.role == "citizen":
        return None
    purpose = ROLE_PURPOSE.get(current_user.role, DEFAULT_PURPOSE)
    return citizen_viewed(
        db.session,
        current_user.actor,
        citizen_id,
        page=request.endpoint or "",
        purpose=purpose,
        now=clock.now(),
    )
