"""The access export as a citizen reads it: labelled fields, names, local dates, plain words.

The JSON export keeps the database's column names and stored values (complete, for machines);
the PDF shows each row through this module. Every column of an exported table is either given
a label here (`LABELS`) or left to the machine-readable copy (`TECHNICAL`: internal numbers,
checksums, file names, keys), and a test fails when a new column is neither. Ids of districts,
providers and care groups are shown as their names, codes (statuses, kinds) through the
labels their features show elsewhere, dates and times in the municipality's time zone.
"""

import re
from datetime import UTC, date, datetime

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.access.forms_inventory import KIND_LABELS as LOCK_KIND
from portal.access.forms_inventory import STATE_LABELS as LOCK_STATE
from portal.audit.labels import action_label
from portal.audit.reading import PURPOSES
from portal.booking.fitting_jobs import KINDS as APPOINTMENT_JOB
from portal.booking.web import APPOINTMENT_STATUS_LABELS, OPENERS
from portal.changes import keycabinet_views as cabinet
from portal.changes import web as changes
from portal.citizens.lifecycle import LABELS as CITIZEN_STATUS
from portal.citizens.relations import RELATIONS
from portal.consent.labels import CONSENT_STATUSES, ENTRANCE_KINDS
from portal.directory.models import CareGroup, District, Provider
from portal.i18n import language_name, show_phone
from portal.letters.labels import KIND as LETTER_KIND
from portal.letters.labels import LETTER_STATUS, REASONS, SKIP_REASONS
from portal.locksmith.forms import KIND_LABELS as JOB_KIND
from portal.locksmith.forms import STATUS_LABELS as JOB_STATUS
from portal.locksmith.panels_change import LEAVE_LABELS, PARTS_LABELS

# Left to the machine-readable copy: they mean something to the portal, not to the reader.
TECHNICAL = frozenset(
    {
        "id", "citizen_id", "national_id_masked", "property_id", "entrance_id", "batch_id",
        "position", "filename", "size", "sha256", "dedupe_key", "attempts", "next_attempt_at",
        "slot_id", "previous_status", "sequence", "lock_id", "public_key_pem", "lock_unit_id",
        "staff_id", "sub", "open_event_id", "close_event_id", "requested_by", "request_id",
        "appointment_id", "locksmith_id", "reported_by", "source", "checklist", "version",
        "cabinet_id", "changed_by_user_id", "owner_id", "seq", "data", "on_behalf_of",
        "supersedes_id",
    }
)  # fmt: skip

# Ids shown as the name of what they point at: column -> which names.
NAMED = {
    "district_id": "district",
    "new_district_id": "district",
    "provider_id": "provider",
    "from_provider_id": "provider",
    "to_provider_id": "provider",
    "care_group_id": "care_group",
    "to_care_group_id": "care_group",
}

LABELS = {
    "external_id": _l("Number in the care system"),
    "national_id": _l("National identity number"),
    "name": _l("Name"),
    "date_of_birth": _l("Date of birth"),
    "address": _l("Address"),
    "postcode": _l("Postcode"),
    "city": _l("Town"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "language": _l("Language"),
    "district_id": _l("District"),
    "emergency_alarm": _l("Emergency alarm"),
    "status": _l("Status"),
    "code_failures": _l("Wrong letter codes in a row"),
    "code_locked_until": _l("Sign-in with the letter code blocked until"),
    "created_at": _l("Created"),
    "updated_at": _l("Last changed"),
    "relation": _l("Relation"),
    "provider_id": _l("Home-care provider"),
    "care_group_id": _l("Care group"),
    "effective_from": _l("From"),
    "needed": _l("Needs the entrance unit"),
    "note": _l("Note"),
    "changed_at": _l("Last changed"),
    "kind": _l("Kind"),
    "reference": _l("Reference"),
    "error": _l("Error"),
    "pages": _l("Pages"),
    "recipient_name": _l("Recipient"),
    "recipient_address": _l("Recipient's address"),
    "rendered_at": _l("Letter made"),
    "posted_at": _l("Posted"),
    "to_address": _l("Sent to"),
    "subject": _l("Subject"),
    "body": _l("Text"),
    "last_error": _l("Error"),
    "sent_at": _l("Sent"),
    "door_password": _l("Password at the door"),
    "opener": _l("Who opens the door"),
    "call_phone": _l("Phone to call on arrival"),
    "door_code": _l("Door code"),
    "interpreter": _l("Interpreter"),
    "interpreter_language": _l("Interpreter's language"),
    "booked_at": _l("Booked on"),
    "booked_by": _l("Booked by"),
    "cancelled_at": _l("Cancelled"),
    "serial": _l("Serial number"),
    "battery": _l("Battery (%)"),
    "battery_at": _l("Battery measured"),
    "active": _l("In use"),
    "installed_at": _l("Fitted"),
    "state": _l("State"),
    "reset_at": _l("Reset"),
    "parts_stored": _l("Where the door's original parts are kept"),
    "start": _l("Start"),
    "end": _l("End"),
    "effective_on": _l("Takes effect"),
    "from_provider_id": _l("From provider"),
    "to_provider_id": _l("To provider"),
    "to_care_group_id": _l("New care group"),
    "inside": _l("Within the municipality"),
    "new_address": _l("New address"),
    "new_postcode": _l("New postcode"),
    "new_city": _l("New town"),
    "new_district_id": _l("New district"),
    "old_address": _l("Old address"),
    "reason": _l("Reason"),
    "alternative": _l("Way in instead"),
    "estate_contact": _l("Contact for the estate"),
    "question": _l("Question"),
    "answer": _l("Answer"),
    "answered_at": _l("Answered"),
    "answered_by": _l("Answered by"),
    "refusal_reason": _l("Why it was refused"),
    "decided_at": _l("Decided"),
    "decided_by": _l("Decided by"),
    "applied_at": _l("Carried out"),
    "role": _l("Notice"),
    "instructions": _l("Instructions"),
    "day": _l("Day"),
    "window_start": _l("Expected from"),
    "window_end": _l("Expected until"),
    "battery_level": _l("Battery level (%)"),
    "reported_at": _l("Reported"),
    "followed_up_at": _l("Followed up"),
    "followed_up_by": _l("Followed up by"),
    "destination": _l("New address"),
    "leave_reason": _l("Why the lock is removed"),
    "signed_by": _l("Keys taken back by"),
    "tag": _l("Key tag"),
    "holder": _l("Held by"),
    "owner_since": _l("Owner since"),
    "property_number": _l("Property number"),
    "at": _l("When"),
    "actor": _l("By"),
    "action": _l("What"),
    "purpose": _l("Purpose"),
}

NOTICE_ROLES = {
    "losing": _l("The provider's care for you ends"),
    "gaining": _l("The provider's care for you starts"),
}
MESSAGE_STATUS = {
    "pending": _l("Waiting to be sent"),
    "sent": _l("Sent"),
    "failed": _l("Could not be sent"),
}
# A booking's kind in the words of the locksmith job it becomes ("Fitting").
APPOINTMENT_KIND = {kind: JOB_KIND[job] for kind, job in APPOINTMENT_JOB.items()}
# Codes shown through the labels their features use: (section, column) -> labels.
VALUES = {
    ("citizen", "status"): CITIZEN_STATUS,
    ("relative", "relation"): dict(RELATIONS),
    ("letter", "kind"): LETTER_KIND,
    ("letter", "status"): LETTER_STATUS,
    # why a letter failed or was not sent (a code; an unexpected failure is kept as recorded)
    ("letter", "error"): {**REASONS, **SKIP_REASONS},
    ("outbox_message", "status"): MESSAGE_STATUS,
    ("appointment", "status"): APPOINTMENT_STATUS_LABELS,
    ("appointment", "kind"): APPOINTMENT_KIND,
    ("appointment", "opener"): OPENERS,
    ("job", "kind"): JOB_KIND,
    ("job", "status"): JOB_STATUS,
    ("job", "leave_reason"): LEAVE_LABELS,
    ("lock_unit", "parts_stored"): PARTS_LABELS,
    ("lock_unit", "kind"): LOCK_KIND,
    ("lock_unit", "state"): LOCK_STATE,
    ("change_request", "kind"): changes.KIND_LABELS,
    ("change_request", "status"): changes.STATUS_LABELS,
    ("change_request", "reason"): changes.REASON_LABELS,
    ("change_request", "alternative"): changes.ALTERNATIVE_LABELS,
    ("provider_notice", "role"): NOTICE_ROLES,
    ("cabinet_key", "kind"): cabinet.KIND_LABELS,
    ("cabinet_key", "status"): cabinet.STATUS_LABELS,
    ("entrance", "kind"): ENTRANCE_KINDS,
    ("entrance", "consent_status"): CONSENT_STATUSES,
    ("audit", "purpose"): PURPOSES,
}

# Rows that hang from a section's rows, counted in the PDF (the JSON holds them).
RELATED = {
    "change_document": _l("documents sent with a request"),
    "job_photo": _l("photos from a locksmith job"),
    "job_window": _l("changes to a locksmith's expected time"),
    "cabinet_key_event": _l("events of a physical key"),
    "lock_event": _l("events recorded by the lock"),
    "lock_unit_history": _l("changes to the lock"),
    "counter_gap": _l("gaps in the lock's event log"),
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def names(session) -> dict[str, dict[int, str]]:
    """Names of districts, providers and care groups by id (all of them: a short list)."""
    return {
        kind: dict(session.execute(select(model.id, model.name)).all())
        for kind, model in (
            ("district", District),
            ("provider", Provider),
            ("care_group", CareGroup),
        )
    }


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored in UTC


def day(value: str) -> str:
    """A stored time (ISO text) as its local date, e.g. "5. december 2026"."""
    return format_date(_moment(value), "long")


def when(value: str) -> str:
    """A stored time (ISO text) as local date and time, e.g. "5. december 2026 03.55"."""
    return f"{day(value)} {format_time(_moment(value), 'short')}"


def text(section: str, column: str, value, known: dict) -> str:
    """One stored value as the reader understands it."""
    if value is None or value == "":
        return "–"
    if column in NAMED:
        return known[NAMED[column]].get(value, "–")
    labels = VALUES.get((section, column))
    if labels is not None:
        return str(labels.get(value, value))
    if column == "language":
        return language_name(value)
    if column in ("phone", "call_phone"):  # stored as E.164: shown as people write it
        return show_phone(value)
    if column == "action":
        return str(action_label(value) or value)
    if column == "actor":  # "user:7 Kim Jensen": the name, not the portal's number
        return value.split(" ", 1)[-1]
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, str) and _DATETIME.fullmatch(value[:16]) and len(value) > 10:
        return when(value)
    if isinstance(value, str) and _DATE.fullmatch(value):
        return format_date(date.fromisoformat(value), "long")
    return str(value)


def fields(section: str, row: dict, known: dict) -> list[tuple[str, str]]:
    """A row's readable fields as (label, text): technical columns and empty fields left out."""
    return [
        (str(LABELS.get(column, column)), text(section, column, value, known))
        for column, value in row.items()
        if column not in TECHNICAL and column != "entrances" and value not in (None, "")
    ]


def entrances(row: dict) -> list[tuple[str, str]]:
    """A building's entrances with their consent state, as (entrance, state)."""
    return [
        (e.get("label") or "–", text("entrance", "consent_status", e.get("consent_status"), {}))
        for e in row.get("entrances") or []
    ]


def related(name: str) -> str:
    """What a kind of related row is, in words."""
    return str(RELATED.get(name, name))
