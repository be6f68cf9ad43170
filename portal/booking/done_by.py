"""Who booked an appointment and who changed it last, from what the portal stores: the
appointment's `booked_by` and the audit trail's last change. The coordinator's citizen page
names anyone; the citizen's own booking page names a relative who acted for them."""

from portal.accounts.models import User
from portal.audit.models import AuditRecord
from portal.audit.queries import latest_for_object
from portal.citizens.models import Relative
from portal.web.params import to_id

CHANGES = ("appointment_moved", "appointment_details_changed")


def who(session, actor_text: str | None) -> tuple[str, str]:
    """(kind, name) of an actor as stored: 'relative:4 Karen Jensen', 'user:2 Ann (coordinator)'.

    Relatives and staff are looked up, so the name is today's; the stored label is the fallback.
    """
    ident, _sep, label = (actor_text or "").partition(" ")
    kind, _sep, number = ident.partition(":")
    model = {"relative": Relative, "user": User}.get(kind)
    found = session.get(model, to_id(number)) if model and to_id(number) else None
    if found is not None:
        return kind, found.name
    if kind == "user" and label.endswith(")") and " (" in label:
        label = label.rsplit(" (", 1)[0]
    return kind, label


def last_change(session, appointment) -> AuditRecord | None:
    """The audit record of the appointment's last change of time or details (None if never)."""
    if appointment.changed_at is None:
        return None
    return latest_for_object(session, "appointment", appointment.id, CHANGES)


def by_relative(session, appointment) -> dict:
    """{"booked": (name, when) or None, "changed": (name, when) or None}: what a relative did
    to the appointment on the citizen's behalf (the last change only if a relative made it)."""
    kind, name = who(session, appointment.booked_by)
    booked = (name, appointment.booked_at) if kind == "relative" else None
    change = last_change(session, appointment)
    changed = None
    if change is not None:
        kind, name = who(session, change.actor)
        changed = (name, change.at) if kind == "relative" else None
    return {"booked": booked, "changed": changed}
