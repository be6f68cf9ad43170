"""Booking emails in the citizen's language, queued in notify's outbox; the day-before reminders.

Never a national id, never access notes or health.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session

from portal.booking.models import Appointment, Slot
from portal.citizens import closures
from portal.citizens.models import Citizen
from portal.i18n import force_locale, opening_hours
from portal.notify.models import OutboxMessage
from portal.notify.services import queue


def _when(appointment) -> list[str]:
    return [
        _("Date: %(date)s", date=format_date(appointment.starts_at, "full")),
        _(
            "Time: %(start)s to %(end)s",
            start=format_time(appointment.starts_at, "short"),
            end=format_time(appointment.ends_at, "short"),
        ),
        _("Locksmith: %(name)s", name=appointment.locksmith_first_name),
        _("Booking reference: %(ref)s", ref=appointment.reference),
    ]


def _password(appointment) -> list[str]:
    return [
        _("Door password: %(words)s", words=appointment.door_password),
        _("The locksmith will say these words at your door. Only let them in if they do."),
    ]


def _footer(language: str) -> list[str]:
    cfg = current_app.config
    url = cfg.get("PORTAL_URL", "").rstrip("/") + "/citizen/booking"
    return [
        _("You can see, change or cancel the time here: %(url)s", url=url),
        _(
            "Questions? Phone %(phone)s, %(hours)s.",
            phone=cfg["MUNICIPALITY_PHONE"],
            hours=opening_hours(language),
        ),
        "",
        cfg["MUNICIPALITY_NAME"],
        _("This email was sent automatically. Please do not reply to it."),
    ]


def compose(kind: str, appointment) -> tuple[str, str]:
    """(subject, plain-text body) of a booking message in the citizen's language."""
    citizen = appointment.citizen
    language = citizen.language if citizen.language in current_app.config["LANGUAGES"] else "da"
    with force_locale(language):
        date = format_date(appointment.starts_at, "long")
        if kind == "booked":
            subject = _("Your lock fitting is booked for %(date)s", date=date)
            lead = _("Your fitting of the keyless door lock is booked.")
        elif kind == "changed":
            subject = _("Your lock fitting has been moved to %(date)s", date=date)
            lead = _("Your fitting of the keyless door lock has been moved to a new time.")
        elif kind == "cancelled":
            subject = _("Your lock fitting on %(date)s is cancelled", date=date)
            lead = _(
                "Your fitting of the keyless door lock has been cancelled. You can book a new time."
            )
        elif kind == "reminder":
            subject = _("Reminder: the locksmith comes tomorrow, %(date)s", date=date)
            lead = _(
                "This is a reminder that the locksmith comes tomorrow to fit the keyless door lock."
            )
        else:
            raise ValueError(f"unknown message kind {kind}")
        lines = [_("Dear %(name)s,", name=citizen.name), "", lead, "", *_when(appointment)]
        if kind != "cancelled":
            lines += ["", *_password(appointment)]
        lines += ["", *_footer(language)]
        return subject, "\n".join(lines) + "\n"


def queue_for_appointment(session, appointment, kind: str, *, now, dedupe_key=None):
    """Queue a booking message to the citizen's email, when they have one."""
    address = appointment.citizen.email
    if not address:
        return None
    subject, body = compose(kind, appointment)
    return queue(
        session,
        kind=kind,
        to=address,
        subject=subject,
        body=body,
        now=now,
        citizen_id=appointment.citizen_id,
        dedupe_key=dedupe_key,
    )


def gets_reminder(appointment, tz: ZoneInfo) -> bool:
    """Whether the day-before reminder will go out: only to the citizen's own email (a
    relative gets none), only for a time booked or moved before that day began, and never
    once a death is reported or care is ending (the rules of queue_reminders)."""
    if appointment.status != "booked" or not appointment.citizen.email:
        return False
    if closures.closure(object_session(appointment), appointment.citizen_id) is not None:
        return False
    day_before = appointment.slot.local_date - timedelta(days=1)
    made = appointment.changed_at or appointment.booked_at
    return made is None or made < datetime.combine(day_before, time(0), tzinfo=tz)


def queue_reminders(session, *, now: datetime, tz: ZoneInfo, hour: int = 10) -> int:
    """Queue tomorrow's reminders once the local clock has passed `hour` (caller commits)."""
    local_now = now.astimezone(tz)
    if local_now.hour < hour:
        return 0
    tomorrow = local_now.date() + timedelta(days=1)
    start_of_today = datetime.combine(local_now.date(), time(0), tzinfo=tz)
    rows = session.scalars(
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(Appointment.status == "booked", Slot.local_date == tomorrow)
        .where(~closures.closed())  # no reminder once a death is reported or care is ending
        .where(func.coalesce(Appointment.changed_at, Appointment.booked_at) < start_of_today)
    ).all()
    queued = 0
    for appointment in rows:
        key = f"reminder:{appointment.id}:{appointment.slot_id}"
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        try:
            with session.begin_nested():
                if (
                    queue_for_appointment(session, appointment, "reminder", now=now, dedupe_key=key)
                    is not None
                ):
                    queued += 1
        except IntegrityError:  # another worker queued it a moment ago
            continue
    return queued
