"""Third-party access: the municipality's partner companies and approvals, the owner's weekday
windows and blocks. Services flush, never commit; anything that narrows access sends
`partner_signals.partner_access_narrowed`, so access revokes the affected keys at once, in the
same transaction (see `portal.access.partner_keys`)."""

import secrets
from datetime import datetime, time

from sqlalchemy import delete, select

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.audit.services import Actor, record
from portal.consent.models import (
    CompanyStatus,
    Entrance,
    PartnerApproval,
    PartnerBlock,
    PartnerCategory,
    PartnerCompany,
    PartnerWindow,
)
from portal.consent.partner_queries import windows_of
from portal.consent.partner_signals import partner_access_narrowed

CATEGORIES = tuple(PartnerCategory)


class PartnerError(ValueError):
    """Base of the partner services' refusals; `code` names the problem."""

    code = "invalid"


class UnknownCategory(PartnerError):
    """Not one of the municipality's partner categories."""

    code = "unknown_category"


class BadWindow(PartnerError):
    """A window needs a weekday 0-6 and a start before its end."""

    code = "bad_window"


class DuplicateOrgNumber(PartnerError):
    """Another partner company has this organisation number."""

    code = "duplicate_org_number"


class EmailInUse(PartnerError):
    """Another account signs in with this email."""

    code = "email_in_use"


def _audit(session, actor, action, now, obj_type, obj_id, data=None) -> None:
    record(session, actor, action, now=now, object_type=obj_type, object_id=obj_id, data=data)


def _categories(values) -> list[str]:
    chosen = sorted({str(v) for v in values or ()})
    if any(v not in CATEGORIES for v in chosen):
        raise UnknownCategory(chosen)
    return chosen


def create_company(
    session,
    *,
    name: str,
    org_number: str | None = None,
    contact_person: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    categories=(),
    now: datetime,
    actor: Actor,
) -> PartnerCompany:
    """Approve a new partner company in the given categories."""
    number = (org_number or "").strip() or None
    if number and session.scalar(
        select(PartnerCompany.id).where(PartnerCompany.org_number == number)
    ):
        raise DuplicateOrgNumber(number)
    company = PartnerCompany(
        name=name.strip(),
        org_number=number,
        contact_person=(contact_person or "").strip() or None,
        email=(email or "").strip().lower() or None,
        phone=(phone or "").strip() or None,
        created_at=now,
    )
    session.add(company)
    session.flush()
    _audit(session, actor, "partner_company_created", now, "partner_company", company.id)
    set_categories(session, company, categories, now=now, actor=actor)
    return company


def set_categories(session, company: PartnerCompany, categories, *, now, actor) -> PartnerCompany:
    """The categories the company is approved in; one withdrawn revokes its keys at once."""
    wanted = set(_categories(categories))
    have = {a.category: a for a in company.approvals}
    for category in sorted(wanted - set(have)):
        session.add(
            PartnerApproval(
                company_id=company.id,
                category=category,
                approved_at=now,
                approved_by_user_id=actor.id if actor.kind == "user" else None,
            )
        )
    removed = sorted(set(have) - wanted)
    for category in removed:
        session.delete(have[category])
    session.flush()
    session.expire(company, ["approvals"])
    if removed:
        partner_access_narrowed.send(
            session, reason="approval_withdrawn", now=now, actor=actor, company_id=company.id
        )
    _audit(
        session,
        actor,
        "partner_categories_set",
        now,
        "partner_company",
        company.id,
        {"categories": sorted(wanted), "withdrawn": removed},
    )
    return company


def suspend_company(session, company: PartnerCompany, *, now, actor) -> PartnerCompany:
    """The municipality suspends a company: no keys anywhere, every key revoked at once."""
    if company.status == CompanyStatus.SUSPENDED:
        return company
    company.status, company.suspended_at = CompanyStatus.SUSPENDED, now
    session.flush()
    partner_access_narrowed.send(
        session, reason="company_suspended", now=now, actor=actor, company_id=company.id
    )
    _audit(session, actor, "partner_company_suspended", now, "partner_company", company.id)
    return company


def reinstate_company(session, company: PartnerCompany, *, now, actor) -> PartnerCompany:
    """Lift a suspension (couriers get keys again from their next shift)."""
    company.status, company.suspended_at = CompanyStatus.ACTIVE, None
    session.flush()
    _audit(session, actor, "partner_company_reinstated", now, "partner_company", company.id)
    return company


def create_partner_admin(
    session, company: PartnerCompany, *, name: str, email: str, now, actor
) -> tuple[User, str]:
    """An admin account for the company; returns (user, one-time password shown once)."""
    address = email.strip().lower()
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise EmailInUse(address)
    password = secrets.token_urlsafe(12)
    user = create_user(
        session,
        address,
        name.strip(),
        password,
        "partner_admin",
        now=now,
        partner_company_id=company.id,
    )
    _audit(session, actor, "partner_admin_created", now, "user", user.id, {"company": company.id})
    return user, password


def parse_window(category, weekday, starts: time, ends: time) -> tuple[str, int, time, time]:
    """Check one window; raise UnknownCategory or BadWindow."""
    (category,) = _categories([category])
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise BadWindow(weekday)
    if not isinstance(starts, time) or not isinstance(ends, time) or not starts < ends:
        raise BadWindow((starts, ends))
    return category, weekday, starts.replace(tzinfo=None), ends.replace(tzinfo=None)


def set_entrance_windows(
    session, entrance: Entrance, windows, *, now, actor
) -> list[PartnerWindow]:
    """Replace the entrance's partner windows: (category, weekday 0-6, start, end) each.

    A window taken away or narrowed revokes the partner keys that name this entrance, at once.
    """
    wanted = {parse_window(*w) for w in windows}
    if len({(c, d) for c, d, _, _ in wanted}) != len(wanted):
        raise BadWindow("one window per category and weekday")
    old = list(
        session.scalars(select(PartnerWindow).where(PartnerWindow.entrance_id == entrance.id))
    )
    have = {(w.category, w.weekday, w.starts, w.ends): w for w in old}
    for key in set(have) - wanted:
        session.delete(have[key])
    session.flush()
    for category, weekday, starts, ends in sorted(wanted - set(have)):
        session.add(
            PartnerWindow(
                entrance_id=entrance.id,
                category=category,
                weekday=weekday,
                starts=starts,
                ends=ends,
                created_at=now,
                created_by_user_id=actor.id if actor.kind == "user" else None,
            )
        )
    session.flush()
    if set(have) - wanted:
        partner_access_narrowed.send(
            session,
            reason="entrance_windows_changed",
            now=now,
            actor=actor,
            entrance_ids=[entrance.id],
        )
    _audit(
        session,
        actor,
        "partner_windows_set",
        now,
        "entrance",
        entrance.id,
        {"windows": [f"{c}:{d}:{s:%H:%M}-{e:%H:%M}" for c, d, s, e in sorted(wanted)]},
    )
    return windows_of(session, entrance.id)


def close_entrance(session, entrance: Entrance, *, now, actor) -> None:
    """Close an entrance to every partner at once (all its windows go, keys are revoked)."""
    session.execute(delete(PartnerWindow).where(PartnerWindow.entrance_id == entrance.id))
    session.flush()
    partner_access_narrowed.send(
        session, reason="entrance_closed", now=now, actor=actor, entrance_ids=[entrance.id]
    )
    _audit(session, actor, "partner_entrance_closed", now, "entrance", entrance.id)


def block_company(session, owner_id: int, company_id: int, *, now, actor) -> PartnerBlock:
    """An owner blocks a company from all of its entrances; its keys there are revoked at once."""
    found = session.scalar(
        select(PartnerBlock).where(
            PartnerBlock.owner_id == owner_id, PartnerBlock.company_id == company_id
        )
    )
    if found is not None:
        return found
    block = PartnerBlock(
        owner_id=owner_id,
        company_id=company_id,
        blocked_at=now,
        blocked_by_user_id=actor.id if actor.kind == "user" else None,
    )
    session.add(block)
    session.flush()
    partner_access_narrowed.send(
        session,
        reason="blocked_by_owner",
        now=now,
        actor=actor,
        company_id=company_id,
        owner_id=owner_id,
    )
    _audit(
        session, actor, "partner_blocked", now, "partner_company", company_id, {"owner": owner_id}
    )
    return block


def unblock_company(session, owner_id: int, company_id: int, *, now, actor) -> None:
    """An owner lets a company in again (from its couriers' next shift)."""
    session.execute(
        delete(PartnerBlock).where(
            PartnerBlock.owner_id == owner_id, PartnerBlock.company_id == company_id
        )
    )
    session.flush()
    _audit(
        session, actor, "partner_unblocked", now, "partner_company", company_id, {"owner": owner_id}
    )
