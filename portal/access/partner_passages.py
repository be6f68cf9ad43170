"""Who passed an owner's entrances and when: the entrance units' signed events, newest first.

A partner's courier is named with their company; home-care staff appear only as "home care"
(who visits which citizen is not the owner's business).
"""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import bp
from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent
from portal.consent.models import Entrance, OwnerOrganisation, Property
from portal.extensions import db
from portal.web.auth import role_required

PASSAGES_SHOWN = 200


def passages(session, owner_id: int, limit: int = PASSAGES_SHOWN) -> list:
    """Successful openings of the owner's entrance units, newest first: (event, entrance, property)."""
    return list(
        session.execute(
            select(LockEvent, Entrance, Property)
            .join(LockUnit, LockUnit.id == LockEvent.lock_unit_id)
            .join(Entrance, Entrance.id == LockUnit.entrance_id)
            .join(Property, Property.id == Entrance.property_id)
            .where(
                Property.owner_id == owner_id,
                LockEvent.result == "ok",
                LockEvent.action == "open",
            )
            .options(joinedload(LockEvent.staff).joinedload(Staff.partner_company))
            .order_by(LockEvent.time.desc(), LockEvent.id.desc())
            .limit(limit)
        )
    )


@bp.route("/owner/partners/passages")
@role_required("owner")
def owner_passages():
    """Who passed the organisation's entrances, and when."""
    org_id = current_user.owner_organisation_id
    org = db.session.get(OwnerOrganisation, org_id) if org_id else None
    rows = passages(db.session, org.id) if org else []
    return render_template("access/partners/passages.html", org=org, passages=rows)
