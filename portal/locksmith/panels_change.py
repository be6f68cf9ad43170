"""What a relocation or removal job shows: on "My day" and on the coordinator's job page."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.extensions import db
from portal.locksmith import photos
from portal.locksmith.forms_change import CHECK_LABELS
from portal.locksmith.models import JobKind
from portal.locksmith.registry import keys_held
from portal.web.panels import panel

LEAVE_LABELS = {
    "moved_away": _l("Moved out of the municipality"),
    "care_ended": _l("Home care has ended"),
    "deceased": _l("The citizen has died"),
    "opted_out": _l("No longer wants the electronic lock"),
}
PARTS_LABELS = {
    "home": _l("In the citizen's home"),
    "depot": _l("At the depot: bring them"),
    "returned": _l("Returned"),
}
KEY_KINDS = {"day": _l("Day key"), "night": _l("Night key")}


def _facts(job, coordinator: bool) -> Markup | None:
    if job.kind not in (JobKind.RELOCATION, JobKind.REMOVAL):
        return None
    held = keys_held(db.session, job.citizen_id) if job.kind == JobKind.REMOVAL else []
    html = render_template(
        "locksmith/_change_facts.html",
        job=job,
        keys=held,
        coordinator=coordinator,
        photo=photos.photo_of(db.session, job.id) if coordinator else None,
        leave_labels=LEAVE_LABELS,
        parts_labels=PARTS_LABELS,
        key_text=", ".join(f"{KEY_KINDS.get(k.kind, k.kind)} ({k.where})" for k in held),
        checklist_text="; ".join(
            str(CHECK_LABELS.get(n, n)) for n in (job.checklist or "").split(",") if n
        ),
    )
    return Markup(html)  # noqa: S704 (our own autoescaped template)


@panel("locksmith_job", order=20)
def change_job_on_my_day(job) -> Markup | None:
    """The new address, the reason, the parts and the keys of a relocation or removal."""
    return _facts(job, coordinator=False)


@panel("job_detail", order=20)
def change_job_for_coordinator(job) -> Markup | None:
    """The same, with the checklist, who signed for the keys, and the photo."""
    return _facts(job, coordinator=True)
