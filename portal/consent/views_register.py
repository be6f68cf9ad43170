"""The coordinator's property register: owners, properties, entrances and who lives behind."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal import clock
from portal.consent import board, bp, queries, register
from portal.consent.forms import (
    STATUS_FILTERS,
    AddBehindForm,
    BehindForm,
    FilterForm,
    OwnerForm,
    PropertyForm,
)
from portal.consent.models import OwnerOrganisation, Property
from portal.directory import queries as directory
from portal.extensions import db
from portal.phones import display_phone, normalise_phone
from portal.web.auth import id_or_404, role_required
from portal.web.htmx import render
from portal.web.pagination import paginate

coordinator_required = role_required("coordinator")
PROBLEMS = {
    "org_number_taken": lambda: _("Another owner already has this organisation number."),
    "property_number_taken": lambda: _("Another property already has this number."),
    "owner_missing": lambda: _("Choose the owner"),
}


def get_or_404(model, object_id: int):
    """A register record by id from the URL, or 404."""
    obj = db.session.get(model, id_or_404(object_id))
    if obj is None:
        abort(404)
    return obj


def filter_form() -> FilterForm:
    """The district/owner filter with its choices, read from the query string."""
    form = FilterForm(request.args)
    form.district.choices = [("", _("All districts"))] + [
        (str(d.id), d.name) for d in directory.districts(db.session)
    ]
    form.owner.choices = [("", _("All owners"))] + [
        (str(o.id), o.name) for o in board.owners_with_properties(db.session)
    ]
    return form


def chosen_statuses(field) -> tuple[str, ...]:
    """The entrance statuses the status filter stands for (none: any status)."""
    return STATUS_FILTERS.get(field.data or "", ())


def chosen(field) -> int | None:
    """The id chosen in a filter field, when it is one of its choices."""
    value = field.data or ""
    return int(value) if value in {c[0] for c in field.choices} and value else None


def _owner_values(form: OwnerForm) -> dict:
    values = {k: getattr(form, k).data for k in register.OWNER_FIELDS}
    if values["org_number"]:
        values["org_number"] = values["org_number"].replace(" ", "").replace("-", "")
    if values["phone"]:
        # The form has checked the number (PhoneNumber): stored in E.164, as providers' are.
        values["phone"] = normalise_phone(values["phone"], current_app.config["COUNTRY"])
    return values


def _problem(form, exc: register.RegisterError) -> None:
    if exc.code == "not_found":
        abort(404)
    field = getattr(form, {"owner_id": "owner"}.get(exc.field, exc.field or ""), None)
    message = PROBLEMS[exc.code]()
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


def _saved(form, save, object_id, values):
    """Run one register service and commit; None (the form has the problem) if it refused."""
    try:
        saved = save(db.session, object_id, values, now=clock.now(), actor=current_user.actor)
        db.session.commit()
    except register.RegisterError as exc:
        db.session.rollback()
        _problem(form, exc)
        return None
    except StaleDataError:
        # An owner's decision changed an entrance of the property a moment ago.
        db.session.rollback()
        flash(_("The entrance was changed meanwhile. Check it and save again."), "error")
        return None
    return saved


@bp.route("/coordinator/owners")
@coordinator_required
def owners():
    """Every owner organisation, with how many properties each has."""
    return render_template("consent/owners.html", owners=queries.owners_with_counts(db.session))


@bp.route("/coordinator/owners/new", methods=["GET", "POST"])
@bp.route("/coordinator/owners/<int:owner_id>/edit", methods=["GET", "POST"])
@coordinator_required
def owner_edit(owner_id: int | None = None):
    """Create or change an owner organisation."""
    owner = get_or_404(OwnerOrganisation, owner_id) if owner_id is not None else None
    form = OwnerForm(obj=owner)
    if request.method == "GET" and owner is not None and owner.phone:
        form.phone.data = display_phone(owner.phone, current_app.config["COUNTRY"])
    if form.validate_on_submit():
        saved = _saved(form, register.save_owner, owner_id, _owner_values(form))
        if saved is not None:
            flash(_("The owner is saved."), "success")
            return redirect(url_for("consent.properties", owner=saved.id), 303)
    return render_template("consent/owner_form.html", form=form, owner=owner)


@bp.route("/coordinator/properties")
@coordinator_required
def properties():
    """Properties with their entrances' status, filtered by text, district, owner and status."""
    form = filter_form()
    form.validate()
    stmt = queries.register_search(
        (form.q.data or "").strip() if not form.q.errors else "",
        district_id=chosen(form.district),
        owner_id=chosen(form.owner),
        statuses=chosen_statuses(form.status),
    )
    result = paginate(stmt)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render(
        "consent/properties.html",
        "consent/_properties.html",
        form=form,
        result=result,
        waiting=board.waiting_per_property(db.session, [p.id for p in result.items]),
        expired=queries.expired_requests(db.session, result.items, clock.now()),
        page_url=lambda n: url_for("consent.properties", page=n, **args),
    )


def _property_form(prop=None) -> PropertyForm:
    form = PropertyForm(obj=prop)
    form.owner.choices = [("", _("Choose the owner"))] + [
        (str(o.id), o.name) for o in board.owners_with_properties(db.session)
    ]
    form.district.choices = [("", _("No district"))] + [
        (str(d.id), d.name) for d in directory.districts(db.session)
    ]
    if request.method == "GET":
        form.owner.data = str(prop.owner_id) if prop else request.args.get("owner", "")
        form.district.data = str(prop.district_id or "") if prop else ""
    return form


@bp.route("/coordinator/properties/new", methods=["GET", "POST"])
@bp.route("/coordinator/properties/<int:property_id>/edit", methods=["GET", "POST"])
@coordinator_required
def property_edit(property_id: int | None = None):
    """Create or change a property; choosing another owner records a sale."""
    prop = get_or_404(Property, property_id) if property_id is not None else None
    form = _property_form(prop)
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in register.PROPERTY_FIELDS if k != "district_id"}
        values["owner_id"] = int(form.owner.data)
        values["district_id"] = int(form.district.data) if form.district.data else None
        saved = _saved(form, register.save_property, property_id, values)
        if saved is not None:
            flash(_("The property is saved."), "success")
            return redirect(url_for("consent.property_detail", property_id=saved.id), 303)
    return render_template("consent/property_form.html", form=form, prop=prop)


@bp.route("/coordinator/properties/<int:property_id>")
@coordinator_required
def property_detail(property_id: int):
    """A property: its owner, entrances, who lives behind each, and its consent history."""
    return property_page(get_or_404(Property, property_id))


def property_page(prop, adding=None, entrance_id=None, found=None):
    """The property page; `adding` is an entrance's add-a-citizen form sent back with its error
    (and `found`, the citizens to choose from when the name matched several)."""
    behind = {e.id: queries.citizens_behind(db.session, e.id) for e in prop.entrances}
    add_forms = {e.id: AddBehindForm(formdata=None) for e in prop.entrances}
    if adding is not None:
        add_forms[entrance_id] = adding
    for e_id, add in add_forms.items():
        add.citizen.id = f"citizen-{e_id}"
    return render_template(
        "consent/property.html",
        prop=prop,
        behind=behind,
        corrections=queries.corrections_of(db.session, [e.id for e in prop.entrances]),
        taken_off={e.id: queries.taken_off(db.session, e.id) for e in prop.entrances},
        history=board.history_of(db.session, prop.id),
        expired=queries.expired_requests(db.session, [prop], clock.now()),
        form=BehindForm(formdata=None),
        add_forms=add_forms,
        adding=adding,
        choices={entrance_id: found} if found else {},
    )
