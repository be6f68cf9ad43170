"""Blocking a phone or a staff member from a confirmed page: one flow for provider admins,
coordinators and partner admins (each view checks who may manage whom first)."""

from flask import flash, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access import blocking
from portal.access.api import keystore
from portal.extensions import db
from portal.web.htmx import hx_redirect


def block_and_tell(kind: str, target_id: int, back_endpoint: str):
    """Block the device or staff member (kind "device" or "staff"), commit, say so, go back."""
    if kind == "device":
        device = blocking.block_device(
            db.session, target_id, keystore(), now=clock.now(), actor=current_user.actor
        )
        db.session.commit()
        message = _(
            "The phone is blocked since %(time)s. Bulletin %(seq)s carries the block to the locks.",
            time=format_datetime(device.blocked_at, "medium"),
            seq=device.blocked_bulletin_seq,
        )
        staff_id = device.staff_id
    else:
        member = blocking.block_staff(
            db.session, target_id, keystore(), now=clock.now(), actor=current_user.actor
        )
        db.session.commit()
        message = _(
            "%(name)s is blocked since %(time)s. Bulletin %(seq)s carries the block to the locks.",
            name=member.name,
            time=format_datetime(member.blocked_at, "medium"),
            seq=member.blocked_bulletin_seq,
        )
        staff_id = member.id
    flash(message, "success")
    return hx_redirect(url_for(back_endpoint, staff_id=staff_id))
