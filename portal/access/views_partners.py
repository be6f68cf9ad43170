"""A partner admin's pages: their own company's couriers and phones, nothing else (block and
unblock them as a provider admin does their staff).

Anything of another company (or of home care) is a 404. One-time secrets (a PIN, an enrolment
code) are shown in the answer to the POST that made them, as on the provider pages.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal import clock
from portal.access import bp, partner_staff, staff
from portal.access.forms import ConfirmForm, PartnerStaffForm
from portal.access.models import Device, Staff
from portal.access.views_blocking import block_and_tell, nothing_to_do, unblock_and_tell
from portal.consent.models import PartnerCompany
from portal.extensions import db
from portal.web.auth import id_or_404, partner_admin_may_manage, role_required
from portal.web.htmx import render
from portal.web.panels import panel

partner_admin_required = role_required("partner_admin")


def _company() -> PartnerCompany | None:
    company_id = current_user.partner_company_id
    return db.session.get(PartnerCompany, company_id) if company_id else None


def _member_or_404(staff_id: int) -> Staff:
    member = db.session.get(Staff, id_or_404(staff_id))
    if not partner_admin_may_manage(current_user, member):
        abort(404)
    return member


def _device_or_404(device_id: int) -> Device:
    device = db.session.get(Device, id_or_404(device_id))
    if device is None or not partner_admin_may_manage(current_user, device.staff):
        abort(404)
    return device


@bp.route("/partner/staff")
@partner_admin_required
def partner_staff_list():
    """The company's couriers with their phones and status."""
    company = _company()
    members = partner_staff.partner_staff(db.session, company.id) if company else []
    return render_template("access/partners/staff_list.html", company=company, members=members)


@bp.route("/partner/staff/new", methods=["GET", "POST"])
@partner_admin_required
def partner_staff_new():
    """Create a courier; the PIN is made and shown once."""
    company = _company()
    if company is None:
        abort(404)
    form = PartnerStaffForm()
    if form.validate_on_submit():
        try:
            member, pin = partner_staff.create_partner_staff(
                db.session,
                company_id=company.id,
                staff_number=form.staff_number.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except staff.DuplicateStaffNumber:
            form.staff_number.errors.append(_("Another staff member has this number"))
        except partner_staff.CompanySuspended:
            form.staff_number.errors.append(
                _("The municipality has suspended your company. Contact the municipality.")
            )
        else:
            db.session.commit()
            return render_template("access/partners/staff_created.html", member=member, pin=pin)
    return render_template("access/partners/staff_new.html", form=form)


@bp.route("/partner/staff/<int:staff_id>")
@partner_admin_required
def partner_staff_detail(staff_id: int):
    """One courier: status, phones with block buttons, enrolment code."""
    member = _member_or_404(staff_id)
    return render_template("access/partners/staff_detail.html", member=member)


@bp.route("/partner/staff/<int:staff_id>/enrolment-code", methods=["POST"])
@partner_admin_required
def partner_enrolment_code(staff_id: int):
    """Create a one-time enrolment code (valid 15 minutes) and show it once."""
    member = _member_or_404(staff_id)
    if not ConfirmForm().validate_on_submit() or not member.active:
        abort(400)
    code, rec = staff.create_enrolment_code(
        db.session,
        member,
        now=clock.now(),
        actor=current_user.actor,
        minutes=int(current_app.config["ENROLMENT_CODE_MINUTES"]),
    )
    db.session.commit()
    return render(
        "access/partners/enrolment_code.html",
        "access/_enrolment_code.html",
        member=member,
        code=staff.grouped_code(code),
        expires_at=rec.expires_at,
    )


def _confirm(kind: str, member: Staff, device: Device | None, action_url: str):
    return render(
        "access/partners/confirm_block.html",
        "access/partners/_confirm_block.html",
        kind=kind,
        member=member,
        device=device,
        action_url=action_url,
    )


@bp.route("/partner/devices/<int:device_id>/block", methods=["GET", "POST"])
@partner_admin_required
def partner_block_device(device_id: int):
    """Confirm (GET), then block (POST) a courier's phone: refused now, revoked by bulletin."""
    device = _device_or_404(device_id)
    if done := nothing_to_do("device", device.staff, device, "access.partner_staff_detail"):
        return done
    url = url_for("access.partner_block_device", device_id=device.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("device", device.staff, device, url)
    return block_and_tell("device", device.id, "access.partner_staff_detail")


@bp.route("/partner/staff/<int:staff_id>/block", methods=["GET", "POST"])
@partner_admin_required
def partner_block_staff(staff_id: int):
    """Confirm (GET), then block (POST) a courier and every key they hold."""
    member = _member_or_404(staff_id)
    if done := nothing_to_do("staff", member, None, "access.partner_staff_detail"):
        return done
    url = url_for("access.partner_block_staff", staff_id=member.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("staff", member, None, url)
    return block_and_tell("staff", member.id, "access.partner_staff_detail")


@bp.route("/partner/staff/<int:staff_id>/unblock", methods=["GET", "POST"])
@partner_admin_required
def partner_unblock_staff(staff_id: int):
    """Confirm (GET), then unblock (POST) a blocked courier: the same service and words as for
    home-care staff (`unblock_staff`)."""
    member = _member_or_404(staff_id)
    if done := nothing_to_do("unblock", member, None, "access.partner_staff_detail"):
        return done
    url = url_for("access.partner_unblock_staff", staff_id=member.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("unblock", member, None, url)
    return unblock_and_tell(member.id, "access.partner_staff_detail")


@panel("partner_company", order=10)
def company_couriers(company) -> Markup | None:
    """On the coordinator's company page: the couriers, their phones, a PIN to unlock."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    members = partner_staff.partner_staff(db.session, company.id)
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template("access/partners/_company_couriers.html", members=members)
    )


@bp.route("/coordinator/partners/couriers/<int:staff_id>/unlock-pin", methods=["POST"])
@role_required("coordinator")
def partner_unlock_pin(staff_id: int):
    """Lift a courier's PIN lockout (coordinators only, as for home-care staff)."""
    member = db.session.get(Staff, id_or_404(staff_id))
    if member is None or not member.is_partner:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    staff.unlock_pin(db.session, member, now=clock.now(), actor=current_user.actor)
    db.session.commit()
    flash(_("The PIN of %(name)s works again.", name=member.name), "success")
    return redirect(url_for("consent.partner_company", company_id=member.partner_company_id), 303)
