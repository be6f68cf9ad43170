"""Staff and device pages for provider admins (their own provider) and coordinators (all).

One-time secrets (a new PIN, an enrolment code) are shown in the answer to the POST that made
them and never stored in clear, so those POSTs render a page instead of redirecting.
"""

from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access import bp, queries, reach, staff, visits
from portal.access.forms import ConfirmForm, EnrolmentForm, ProviderFilterForm, StaffForm
from portal.access.models import Device, Staff
from portal.access.views_blocking import block_and_tell, nothing_to_do, unblock_and_tell
from portal.directory import queries as directory
from portal.directory.models import Provider
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.htmx import hx_redirect, render
from portal.web.params import id_arg

MANAGERS = ("provider_admin", "coordinator")


def staff_or_404(staff_id: int) -> Staff:
    """A staff member the signed-in account may manage (anything else is a 404)."""
    member = db.session.get(Staff, staff_id)
    if not staff.may_manage(current_user, member):
        abort(404)
    return member


@bp.app_template_global()
def device_name(device: Device) -> str:
    """What people call a phone: its label and model, or, named by neither at enrolment, the
    day it was enrolled (never only the start of its key id, which nobody can find a phone by)."""
    if device.label or device.model:
        return device.name
    return _("Phone enrolled %(date)s", date=format_date(device.enrolled_at, "medium"))


def device_or_404(device_id: int) -> Device:
    """A device of a staff member the signed-in account may manage."""
    device = db.session.get(Device, device_id)
    if device is None or not staff.may_manage(current_user, device.staff):
        abort(404)
    return device


def _provider_scope() -> int | None:
    """The provider a page is limited to: the admin's own, or the coordinator's filter."""
    if current_user.role == "provider_admin":
        return current_user.provider_id or -1
    return id_arg("provider")


@bp.route("/provider/staff")
@role_required(*MANAGERS)
def staff_list():
    """Staff members with their care groups, devices and status."""
    form = None
    if current_user.role == "coordinator":
        form = ProviderFilterForm(request.args)
        providers = directory.providers(db.session)
        form.provider.choices = [("", _("All providers"))] + [
            (str(p.id), p.name) for p in providers
        ]
    members = queries.staff_members(db.session, _provider_scope())
    return render("access/staff_list.html", "access/_staff_table.html", members=members, form=form)


def _group_choices():
    if current_user.role == "provider_admin":
        groups = directory.care_groups(db.session, current_user.provider_id or -1)
        return [(g.id, g.name) for g in groups]
    return [(g.id, f"{g.provider.name}: {g.name}") for g in directory.care_groups(db.session)]


@bp.route("/provider/staff/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def staff_new():
    """Create a staff member; the PIN is generated and shown once."""
    form = StaffForm()
    form.care_groups.choices = _group_choices()
    if form.validate_on_submit():
        providers = queries.providers_of_groups(db.session, form.care_groups.data)
        if current_user.role == "provider_admin":
            providers.add(current_user.provider_id)
        if len(providers) != 1:
            form.care_groups.errors.append(_("Choose care groups of one provider only"))
        else:
            try:
                member, pin = staff.create_staff(
                    db.session,
                    provider_id=providers.pop(),
                    staff_number=form.staff_number.data,
                    first_name=form.first_name.data,
                    last_name=form.last_name.data,
                    care_group_ids=form.care_groups.data,
                    now=clock.now(),
                    actor=current_user.actor,
                )
            except staff.DuplicateStaffNumber:
                form.staff_number.errors.append(_("Another staff member has this number"))
            except staff.InvalidCareGroups:
                form.care_groups.errors.append(_("Choose care groups of one provider only"))
            else:
                db.session.commit()
                return render_template("access/staff_created.html", member=member, pin=pin)
    return render_template("access/staff_new.html", form=form)


@bp.route("/provider/staff/<int:staff_id>")
@role_required(*MANAGERS)
def staff_detail(staff_id: int):
    """One staff member: status, devices (with block buttons), enrolment code."""
    member, now = staff_or_404(staff_id), clock.now()
    reaches = _reaches(member)
    return render_template(
        "access/staff_detail.html",
        member=member,
        form=ConfirmForm(),
        enrol_form=EnrolmentForm(),
        reaches=reaches,
        reach_pending=any(not r.settled(now) for r in reaches.values()),
        now=now,
    )


def _reaches(member: Staff) -> dict:
    """How far each block has come at the doors: "staff" for the member, else device ids."""
    found = {}
    if not member.active and member.blocked_bulletin_seq:
        found["staff"] = reach.of_block(
            db.session,
            seq=member.blocked_bulletin_seq,
            blocked_at=member.blocked_at,
            staff_id=member.id,
        )
    for d in member.devices:
        if not d.active and d.blocked_bulletin_seq:
            found[d.id] = reach.of_block(
                db.session, seq=d.blocked_bulletin_seq, blocked_at=d.blocked_at, device_id=d.id
            )
    return found


@bp.route("/provider/staff/<int:staff_id>/enrolment-code", methods=["POST"])
@role_required(*MANAGERS)
def enrolment_code(staff_id: int):
    """Create a one-time enrolment code (valid 15 minutes) and show it once."""
    member = staff_or_404(staff_id)
    form = EnrolmentForm()
    valid = form.validate_on_submit()
    if not member.active or "csrf_token" in form.errors:
        abort(400)
    if not valid:
        return render(
            "access/staff_detail.html",
            "access/_enrolment_form.html",
            member=member,
            form=ConfirmForm(),
            enrol_form=form,
        )
    code, rec = staff.create_enrolment_code(
        db.session,
        member,
        now=clock.now(),
        actor=current_user.actor,
        minutes=int(current_app.config["ENROLMENT_CODE_MINUTES"]),
        label=form.label.data,
        model=form.model.data,
    )
    db.session.commit()
    return render(
        "access/enrolment_code.html",
        "access/_enrolment_code.html",
        member=member,
        code=staff.grouped_code(code),
        expires_at=rec.expires_at,
    )


def _confirm(kind: str, member: Staff, device: Device | None, action_url: str):
    return render(
        "access/confirm_block.html",
        "access/_confirm_block.html",
        kind=kind,
        member=member,
        device=device,
        form=ConfirmForm(),
        action_url=action_url,
        keys_until=reach.live_keys_until(
            db.session,
            now=clock.now(),
            staff_id=member.id if device is None else None,
            device_id=device.id if device else None,
        ),
    )


@bp.route("/provider/devices/<int:device_id>/block", methods=["GET", "POST"])
@role_required(*MANAGERS)
def block_device(device_id: int):
    """Confirm (GET), then block (POST) a phone: refused at once, revoked in the next bulletin."""
    device = device_or_404(device_id)
    if done := nothing_to_do("device", device.staff, device, "access.staff_detail"):
        return done
    url = url_for("access.block_device", device_id=device.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("device", device.staff, device, url)
    return block_and_tell("device", device.id, "access.staff_detail")


@bp.route("/provider/staff/<int:staff_id>/block", methods=["GET", "POST"])
@role_required(*MANAGERS)
def block_staff(staff_id: int):
    """Confirm (GET), then block (POST) a staff member and every key they hold."""
    member = staff_or_404(staff_id)
    if done := nothing_to_do("staff", member, None, "access.staff_detail"):
        return done
    url = url_for("access.block_staff", staff_id=member.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("staff", member, None, url)
    return block_and_tell("staff", member.id, "access.staff_detail")


@bp.route("/provider/staff/<int:staff_id>/unblock", methods=["GET", "POST"])
@role_required(*MANAGERS)
def unblock_staff(staff_id: int):
    """Confirm (GET), then unblock (POST) a blocked staff member: new shift keys again."""
    member = staff_or_404(staff_id)
    if done := nothing_to_do("unblock", member, None, "access.staff_detail"):
        return done
    url = url_for("access.unblock_staff", staff_id=member.id)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _confirm("unblock", member, None, url)
    return unblock_and_tell(member.id, "access.staff_detail")


@bp.route("/provider/staff/<int:staff_id>/unlock-pin", methods=["POST"])
@role_required("coordinator")
def unlock_pin(staff_id: int):
    """Lift a PIN lockout (coordinators only)."""
    member = staff_or_404(staff_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    staff.unlock_pin(db.session, member, now=clock.now(), actor=current_user.actor)
    db.session.commit()
    flash(_("The PIN of %(name)s works again.", name=member.name), "success")
    return hx_redirect(url_for("access.staff_detail", staff_id=member.id))


@bp.route("/provider/visits")
@role_required(*MANAGERS)
def provider_visits():
    """The newest visits by the provider's staff (coordinators choose the provider)."""
    scope = _provider_scope()
    providers = directory.providers(db.session)
    if scope is None and current_user.role == "coordinator":
        scope = providers[0].id if providers else -1
    provider = db.session.get(Provider, scope) if scope else None
    rows = visits.for_provider(db.session, scope) if provider else []
    return render_template(
        "access/provider_visits.html",
        visits=rows,
        provider=provider,
        providers=providers if current_user.role == "coordinator" else [],
    )
