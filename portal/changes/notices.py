"""What both providers of a switch are told: a notice on their admin page and an email to
each of their admins, queued in notify's outbox in the caller's transaction."""

from datetime import datetime

from flask import current_app
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import select

from portal.accounts.models import User
from portal.changes import rules
from portal.changes.models import ChangeRequest, ProviderNotice
from portal.i18n import force_locale
from portal.notify.services import queue
from portal.notify.tasks import kick
from portal.unit_of_work import after_commit


def _admins(session, provider_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User).where(User.role == "provider_admin", User.provider_id == provider_id)
        )
    )


def _compose(notice: ProviderNotice, req: ChangeRequest) -> tuple[str, str]:
    citizen = req.citizen
    day = format_date(notice.effective_on, "long")
    if notice.role == "gaining":
        subject = _("New citizen from %(date)s: %(name)s", date=day, name=citizen.name)
        first = _(
            "From %(date)s your organisation gives home care to %(name)s, %(address)s. Your care "
            "groups get the door key in their shift keys from that day.",
            date=day,
            name=citizen.name,
            address=f"{citizen.address}, {citizen.postcode} {citizen.city}",
        )
    else:
        subject = _("Citizen leaving on %(date)s: %(name)s", date=day, name=citizen.name)
        first = _(
            "From %(date)s your organisation no longer gives home care to %(name)s. Your staff "
            "lose the door key at %(time)s that day; keys issued before are revoked.",
            date=day,
            name=citizen.name,
            time=format_time(
                rules.effective_moment(notice.effective_on, current_app.config["TIMEZONE"]),
                "short",
            ),
        )
    cfg = current_app.config
    body = "\n".join(
        [
            first,
            _("Reference: %(ref)s", ref=req.reference),
            "",
            cfg["MUNICIPALITY_NAME"],
            _("This email was sent automatically. Please do not reply to it."),
        ]
    )
    return subject, body


def _mail_admins(session, notice, req, compose, key: str, *, now: datetime) -> int:
    """Queue `compose`'s email (in the portal's default language) to each admin of the notice's
    provider, once each (`key` plus the admin's id is the outbox's dedupe key); the count."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        subject, body = compose(notice, req)
    admins = _admins(session, notice.provider_id)
    for admin in admins:
        queue(
            session,
            kind="provider_switch",
            to=admin.email,
            subject=subject,
            body=body,
            now=now,
            citizen_id=req.citizen_id,
            dedupe_key=f"{key}:{admin.id}",
        )
    return len(admins)


def switch_notices(session, req: ChangeRequest, *, now: datetime) -> list[ProviderNotice]:
    """A notice for the provider losing and the provider gaining the citizen, and emails."""
    made = []
    for role, provider_id in (("losing", req.from_provider_id), ("gaining", req.to_provider_id)):
        if provider_id is None:
            continue
        notice = ProviderNotice(
            provider_id=provider_id,
            request_id=req.id,
            citizen_id=req.citizen_id,
            role=role,
            effective_on=req.effective_on,
            created_at=now,
        )
        session.add(notice)
        made.append(notice)
        _mail_admins(session, notice, req, _compose, f"switch:{req.id}:{role}", now=now)
    session.flush()
    if made:
        after_commit(session, kick)  # send now; the outbox's minute tick would find them anyway
    return made


def _compose_cancelled(notice: ProviderNotice, req: ChangeRequest) -> tuple[str, str]:
    citizen = req.citizen
    day = format_date(notice.effective_on, "long")
    if notice.role == "gaining":
        subject = _("Cancelled: %(name)s does not join on %(date)s", date=day, name=citizen.name)
    else:
        subject = _("Cancelled: %(name)s does not leave on %(date)s", date=day, name=citizen.name)
    cfg = current_app.config
    body = "\n".join(
        [
            _(
                "The change of home-care provider for %(name)s from %(date)s, which you were "
                "told about, has been cancelled and will not happen.",
                date=day,
                name=citizen.name,
            ),
            _("Reference: %(ref)s", ref=req.reference),
            "",
            cfg["MUNICIPALITY_NAME"],
            _("This email was sent automatically. Please do not reply to it."),
        ]
    )
    return subject, body


def cancelled(session, req: ChangeRequest, *, now: datetime) -> int:
    """Tell the admins of each provider told about the switch `req` that it will not happen
    (once each: the outbox's dedupe key); returns the number of emails queued."""
    told = session.scalars(select(ProviderNotice).where(ProviderNotice.request_id == req.id))
    sent = 0
    for notice in told:
        key = f"switch-cancelled:{req.id}:{notice.role}"
        sent += _mail_admins(session, notice, req, _compose_cancelled, key, now=now)
    session.flush()
    if sent:
        after_commit(session, kick)
    return sent


def for_provider(session, provider_id: int, limit: int = 50) -> list[ProviderNotice]:
    """A provider's notices, newest date first."""
    return list(
        session.scalars(
            select(ProviderNotice)
            .where(ProviderNotice.provider_id == provider_id)
            .order_by(ProviderNotice.effective_on.desc(), ProviderNotice.id.desc())
            .limit(limit)
        )
    )
