"""A coordinator registers a change that came by phone or from the care system: no request
waits, the change is approved and written at once (audited as requested and approved)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.audit import reading
from portal.changes import bp, decisions, rules, services
from portal.changes.forms import RegisterForm
from portal.changes.web import ALTERNATIVE_LABELS, FACT_LABELS, KIND_LABELS, policy
from portal.directory import queries as directory
from portal.extensions import db
from portal.web.auth import citizen_or_404, role_required
from portal.web.params import to_id

LEAVE_REASONS = ("opted_out", "care_ended", "deceased")


def _form(citizen, kind):
    form = RegisterForm()
    form.source.choices = [("phone", _("Phone call")), ("care_system", _("Care system"))]
    providers = directory.providers(db.session)
    form.provider.choices = [("", _("Choose a provider"))] + [
        (str(p.id), p.name) for p in providers
    ]
    if kind == "move":
        form.provider.choices[0] = ("", _("Keep the current provider"))
    form.inside.choices = [("yes", _("Yes")), ("no", _("No"))]
    form.district.choices = [("", _("From the postcode"))] + [
        (str(d.id), d.name) for d in directory.districts(db.session)
    ]
    form.reason.choices = [(r, FACT_LABELS[r]) for r in LEAVE_REASONS]
    form.alternative.choices = [("", _("Not an opt-out"))] + list(ALTERNATIVE_LABELS.items())
    return form


def _required(form, kind) -> bool:
    """Fields the kind needs; marks the missing ones and says whether all are there."""
    needed = {"switch": ["provider"], "move": ["address", "postcode", "city"], "leave": []}[kind]
    ok = True
    for name in needed:
        if not (form[name].data or "").strip():
            form[name].errors = [_("This field is required for this change.")]
            ok = False
    if kind == "leave" and form.reason.data not in LEAVE_REASONS:
        form.reason.errors = [_("Choose the reason")]
        ok = False
    return ok


def _details(form, kind) -> services.Details:
    return services.Details(
        effective_on=form.effective_on.data,
        provider_id=to_id(form.provider.data) if kind == "switch" else None,
        inside=form.inside.data != "no" if kind == "move" else None,
        address=(form.address.data or "").strip() or None,
        postcode=(form.postcode.data or "").strip() or None,
        city=(form.city.data or "").strip() or None,
        district_id=to_id(form.district.data),
        reason=form.reason.data if kind == "leave" else None,
        alternative=form.alternative.data or None,
        estate_contact=form.estate_contact.data,
        note=form.note.data,
    )


@bp.route("/coordinator/citizens/<int:citizen_id>/changes/<kind>", methods=["GET", "POST"])
@role_required("coordinator")
def register(citizen_id, kind):
    """Register a switch, move or end of keyless care from a call or the care system."""
    if kind not in KIND_LABELS:
        abort(404)
    citizen = citizen_or_404(citizen_id)
    if request.method == "GET" and reading.note_citizen_view(citizen.id):
        db.session.commit()
    form = _form(citizen, kind)
    problem_text = None
    if form.validate_on_submit() and _required(form, kind):
        try:
            req = decisions.register(
                db.session,
                citizen,
                kind,
                _details(form, kind),
                source=form.source.data,
                now=clock.now(),
                actor=current_user.actor,
                policy=policy(),
                provider_id=to_id(form.provider.data) if kind == "move" else None,
            )
        except rules.ChangeError as problem:
            db.session.rollback()
            citizen = citizen_or_404(citizen_id)
            field = {
                "effective_on": form.effective_on,
                "provider": form.provider,
                "postcode": form.postcode,
                "alternative": form.alternative,
                "estate_contact": form.estate_contact,
            }.get(problem.field)
            if field is not None:
                field.errors = [problem.text()]
            else:
                problem_text = problem.text()
        else:
            db.session.commit()
            flash(
                _("The change has been registered with reference %(ref)s.", ref=req.reference),
                "success",
            )
            return redirect(url_for("changes.detail", request_id=req.id), 303)
    return render_template(
        "changes/register.html",
        form=form,
        citizen=citizen,
        kind=kind,
        kinds=KIND_LABELS,
        problem=problem_text,
    )
