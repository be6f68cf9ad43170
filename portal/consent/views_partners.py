"""Third-party access pages: the coordinator approves and suspends partner companies; the owner
opens entrances to categories in weekday windows and blocks companies.

Thin views: parse, guard (an owner sees only their organisation's entrances: `web.auth`), one
service, commit, 303. Who passed an entrance is in `portal.access.partner_passages`.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.consent import bp, partner_queries, partners, queries, weekday_name
from portal.consent.models import Entrance, OwnerOrganisation, PartnerCompany
from portal.consent.partner_forms import (
    CATEGORY_LABELS,
    AdminForm,
    CategoriesForm,
    CompanyForm,
    ConfirmForm,
    WindowsForm,
)
from portal.extensions import db
from portal.phones import normalise_phone
from portal.web.auth import id_or_404, owner_may_see_entrance, role_required

coordinator_required = role_required("coordinator")
owner_required = role_required("owner")


def _labels() -> dict:
    return {"category_labels": CATEGORY_LABELS}


def _company_or_404(company_id: int) -> PartnerCompany:
    return db.get_or_404(PartnerCompany, id_or_404(company_id))


@bp.route("/coordinator/partners")
@coordinator_required
def partner_companies():
    """Every partner company with its categories and status."""
    rows = partner_queries.companies(db.session)
    return render_template("consent/partners/companies.html", companies=rows, **_labels())


@bp.route("/coordinator/partners/new", methods=["GET", "POST"])
@coordinator_required
def partner_company_new():
    """Approve a new partner company in one or more categories."""
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = partners.create_company(
                db.session,
                name=form.name.data,
                org_number=form.org_number.data,
                contact_person=form.contact_person.data,
                email=form.email.data,
                # The form has checked the number (PhoneNumber): stored in E.164, as relatives'.
                phone=normalise_phone(form.phone.data, current_app.config["COUNTRY"]),
                categories=form.categories.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except partners.DuplicateOrgNumber:
            db.session.rollback()
            form.org_number.errors.append(_("Another partner company has this number"))
        else:
            db.session.commit()
            flash(_("%(name)s is approved.", name=company.name), "success")
            return redirect(url_for("consent.partner_company", company_id=company.id), 303)
    return render_template("consent/partners/company_new.html", form=form)


def _company_page(company, categories_form=None, admin_form=None, password=None, admin=None):
    categories_form = categories_form or CategoriesForm(
        formdata=None, categories=company.categories
    )
    return render_template(
        "consent/partners/company.html",
        company=company,
        categories_form=categories_form,
        admin_form=admin_form or AdminForm(formdata=None),
        confirm_form=ConfirmForm(),
        password=password,
        admin=admin,
        **_labels(),
    )


@bp.route("/coordinator/partners/<int:company_id>")
@coordinator_required
def partner_company(company_id: int):
    """One company: categories, status, admins."""
    return _company_page(_company_or_404(company_id))


@bp.route("/coordinator/partners/<int:company_id>/categories", methods=["POST"])
@coordinator_required
def partner_company_categories(company_id: int):
    """Change the categories; one withdrawn revokes the company's keys at once."""
    company = _company_or_404(company_id)
    form = CategoriesForm()
    if not form.validate_on_submit():
        return _company_page(company, categories_form=form)
    partners.set_categories(
        db.session, company, form.categories.data, now=clock.now(), actor=current_user.actor
    )
    db.session.commit()
    flash(_("The categories are saved."), "success")
    return redirect(url_for("consent.partner_company", company_id=company.id), 303)


@bp.route("/coordinator/partners/<int:company_id>/suspend", methods=["POST"])
@coordinator_required
def partner_company_suspend(company_id: int):
    """Suspend (or, with action=reinstate, reinstate) a company."""
    company = _company_or_404(company_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    args = {"now": clock.now(), "actor": current_user.actor}
    if request.form.get("action") == "reinstate":
        partners.reinstate_company(db.session, company, **args)
        message = _("%(name)s is reinstated.", name=company.name)
    else:
        partners.suspend_company(db.session, company, **args)
        message = _("%(name)s is suspended. Its keys are revoked at once.", name=company.name)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("consent.partner_company", company_id=company.id), 303)


@bp.route("/coordinator/partners/<int:company_id>/admins", methods=["POST"])
@coordinator_required
def partner_company_admin(company_id: int):
    """Create an admin account for the company; its password is shown once."""
    company = _company_or_404(company_id)
    form = AdminForm()
    if form.validate_on_submit():
        try:
            user, password = partners.create_partner_admin(
                db.session,
                company,
                name=form.admin_name.data,
                email=form.admin_email.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except partners.EmailInUse:
            db.session.rollback()
            form.admin_email.errors.append(_("Another account signs in with this email"))
        else:
            db.session.commit()
            return _company_page(company, password=password, admin=user)
    return _company_page(company, admin_form=form)


# --- The owner's pages -------------------------------------------------------------------


def _owner_org():
    org_id = current_user.owner_organisation_id
    return db.session.get(OwnerOrganisation, org_id) if org_id else None


def _entrance_or_404(entrance_id: int) -> Entrance:
    entrance = db.session.get(Entrance, id_or_404(entrance_id))
    if not owner_may_see_entrance(current_user, entrance):
        abort(404)
    return entrance


@bp.route("/owner/partners")
@owner_required
def owner_partners():
    """Which entrances partners may use and when; approved companies per category; blocks."""
    org = _owner_org()
    properties = queries.properties_of_owner(db.session, org.id) if org else []
    windows = {
        e.id: partner_queries.windows_of(db.session, e.id) for p in properties for e in p.entrances
    }
    return render_template(
        "consent/partners/owner.html",
        org=org,
        properties=properties,
        windows=windows,
        approved=partner_queries.approved_by_category(db.session),
        blocked=partner_queries.blocked_company_ids(db.session, org.id) if org else set(),
        form=ConfirmForm(),
        **_labels(),
    )


def _day_labels():
    return [(str(d), weekday_name(d)) for d in range(7)]


def _windows_form(entrance, formdata=None):
    if formdata is not None:
        return WindowsForm(day_labels=_day_labels())
    data = {}
    for w in partner_queries.windows_of(db.session, entrance.id):
        data.setdefault(f"{w.category}_days", []).append(str(w.weekday))
        data[f"{w.category}_from"] = w.starts.strftime("%H:%M")
        data[f"{w.category}_to"] = w.ends.strftime("%H:%M")
    return WindowsForm(formdata=None, day_labels=_day_labels(), data=data)


@bp.route("/owner/partners/entrances/<int:entrance_id>", methods=["GET", "POST"])
@owner_required
def owner_partner_windows(entrance_id: int):
    """Open an entrance to categories of partners on weekdays between two times."""
    entrance = _entrance_or_404(entrance_id)
    form = _windows_form(entrance, request.form if request.method == "POST" else None)
    if request.method == "POST":
        valid = form.validate_on_submit()
        windows = form.windows()  # marks every bad time, whatever else is wrong
        if valid and windows is not None:
            try:
                partners.set_entrance_windows(
                    db.session, entrance, windows, now=clock.now(), actor=current_user.actor
                )
            except partners.PartnerError:
                db.session.rollback()
                abort(400)
            db.session.commit()
            flash(
                _("The partner windows of %(entrance)s are saved.", entrance=entrance.label),
                "success",
            )
            return redirect(url_for("consent.owner_partners"), 303)
    return render_template(
        "consent/partners/windows.html", entrance=entrance, form=form, **_labels()
    )


@bp.route("/owner/partners/entrances/<int:entrance_id>/close", methods=["POST"])
@owner_required
def owner_partner_close(entrance_id: int):
    """Close an entrance to every partner at once."""
    entrance = _entrance_or_404(entrance_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    partners.close_entrance(db.session, entrance, now=clock.now(), actor=current_user.actor)
    db.session.commit()
    flash(_("%(entrance)s is closed to every partner.", entrance=entrance.label), "success")
    return redirect(url_for("consent.owner_partners"), 303)


@bp.route("/owner/partners/companies/<int:company_id>/block", methods=["POST"])
@owner_required
def owner_partner_block(company_id: int):
    """Block (or, with action=unblock, let in again) a company at all of the owner's entrances."""
    company = _company_or_404(company_id)
    org = _owner_org()
    if org is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    args = {"now": clock.now(), "actor": current_user.actor}
    if request.form.get("action") == "unblock":
        partners.unblock_company(db.session, org.id, company.id, **args)
        message = _("%(name)s may use your entrances again.", name=company.name)
    else:
        partners.block_company(db.session, org.id, company.id, **args)
        message = _(
            "%(name)s is blocked from your entrances. Its keys are revoked at once.",
            name=company.name,
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("consent.owner_partners"), 303)
