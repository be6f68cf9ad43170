"""The coordinator's follow-up list: failed fittings whose citizen still needs a call."""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.booking.models import Appointment
from portal.citizens.models import Citizen
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.locksmith import bp
from portal.locksmith.models import JobReport
from portal.web.auth import role_required

FAIL_REASON_LABELS = {
    "not_home": _l("Nobody was at home"),
    "door_unsuitable": _l("The door is not suitable"),
    "declined": _l("The citizen declined"),
    "other": _l("Other reason"),
}


@bp.route("/coordinator/follow-up")
@role_required("coordinator")
def follow_up():
    """Failed jobs whose citizen still needs a call: reason, note, phone, a way to rebook."""
    rows = db.session.execute(
        select(Appointment, JobReport)
        .join(JobReport, JobReport.appointment_id == Appointment.id)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(Appointment.status == "failed", Citizen.status == "follow_up")
        .options(joinedload(Appointment.citizen), joinedload(Appointment.slot))
        .order_by(JobReport.reported_at.desc())
    ).all()
    country = current_app.config["COUNTRY"]
    return render_template(
        "locksmith/follow_up.html",
        rows=rows,
        reasons=FAIL_REASON_LABELS,
        phone=lambda v: display_phone(v, country),
    )
