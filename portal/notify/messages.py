"""Email texts in the citizen's language. Never a national id, never access notes or health."""

from flask import current_app
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _

from portal.i18n import opening_hours


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
