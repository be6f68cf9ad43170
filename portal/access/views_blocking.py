"""Blocking a phone or a staff member from a confirmed page: one flow for provider admins,
coordinators and partner admins (each view checks who may manage whom first); unblocking a
staff member, for the same three."""

from flask import flash, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access import blocking
from portal.access.api import keystore
from portal.extensions import db
from portal.web.htmx import hx_redirect


def nothing_to_do(kind: str, member, device, back_endpoint: str):
    """A second click, or someone else was quicker: blocking what is blocked already, or
    unblocking who is not blocked (kind "device", "staff" or "unblock"), says so and goes back
    to the staff member's page instead of asking again; None when there is something to do."""
    if kind == "unblock":
        if not member.active:
            return None
        flash(_("%(name)s is not blocked.", name=member.name), "info")
    elif kind == "device":
        if device.active:
            return None
        since = format_datetime(device.blocked_at, "medium")
        flash(_("This phone has been blocked since %(time)s.", time=since), "info")
    else:
        if member.active:
            return None
        since = format_datetime(member.blocked_at, "medium")
        flash(_("%(name)s has been blocked since %(time)s.", name=member.name, time=since), "info")
    return hx_redirect(url_for(back_endpoint, staff_id=member.id))


def block_and_tell(kind: str, target_id: int, back_endpoint: str):
    """Block the device or staff member (kind "device" or "staff"), commit, say so, go back."""
    if kind == "device":
        device = blocking.block_device(
            db.session, target_id, keystore(), now=clock.now(), actor=current_user.actor
        )
        db.session.commit()
        message = _(
            "The phone has been blocked since %(time)s. Revocation bulletin no. %(seq)s goes out"
            " to the locks with the phones that visit them. The block is final.",
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
            "%(name)s has been blocked since %(time)s. Revocation bulletin no. %(seq)s goes out"
            " to the locks with the phones that visit them.",
            name=member.name,
            time=format_datetime(member.blocked_at, "medium"),
            seq=member.blocked_bulletin_seq,
        )
        staff_id = member.id
    flash(message, "success")
    return hx_redirect(url_for(back_endpoint, staff_id=staff_id))


def unblock_and_tell(staff_id: int, back_endpoint: str):
    """Unblock the staff member, commit, say what it means at the doors, go back."""
    member, seq = blocking.unblock_staff(
        db.session, staff_id, keystore(), now=clock.now(), actor=current_user.actor
    )
    db.session.commit()
    if seq is not None:
        message = _(
            "%(name)s is unblocked and can start shifts again. Revocation bulletin no. %(seq)s"
            " lifts the block at the locks; keys issued before the block stay revoked.",
            name=member.name,
            seq=seq,
        )
        flash(message, "success")
    return hx_redirect(url_for(back_endpoint, staff_id=member.id))
