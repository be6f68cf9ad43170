"""Which partner couriers passed an owner's entrances and when: the entrance units' signed
events, newest first, since the organisation owns the property.

Only partners' couriers are listed, named with their company. Home care's openings are left
out altogether: who visits which citizen is not the owner's business, and even unnamed, the
times home care passes a gate with one citizen behind it are that citizen's care schedule.
"""

from flask import render_template
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.access import bp
from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent
from portal.consent.models import Entrance, OwnerOrganisation, Property
from portal.extensions import db
from portal.web.auth import role_required

PASSAGES_SHOWN = 200


def passages(session, owner_id: int, limit: int = PASSAGES_SHOWN) -> list:
    """Partner couriers' openings of the owner's entrance units since the owner bought the
    property, newest first: (event, entrance, property)."""
    return list(
        session.execute(
            select(LockEvent, Entrance, Property)
            .join(LockUnit, LockUnit.id == LockEvent.lock_unit_id)
            .join(Entrance, Entrance.id == LockUnit.entrance_id)
            .join(Property, Property.id == Entrance.property_id)
            .join(Staff, Staff.id == LockEvent.staff_id)
            .where(
                Property.owner_id == owner_id,
                Staff.partner_company_id.is_not(None),
                or_(Property.owner_since.is_(None), LockEvent.time >= Property.owner_since),
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
