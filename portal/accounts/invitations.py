"""A coordinator adds a locksmith or a coordinator; the new person chooses a password through
a one-time link sent by e-mail, then sets up the authenticator app like any staff sign-in.

The link's token (32 random bytes) is stored as its SHA-256 only; it works once, until it
expires (STAFF_INVITATION_HOURS, 72 by default) and not after a newer invitation voided it.
Provider admins and partner admins belong to an organisation and are not added here (a partner
admin is added on the partner company's page). Services flush and never commit.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts import invitation_emails, mfa
from portal.accounts.models import StaffInvitation, User
from portal.accounts.passwords import hash_password
from portal.accounts.services import create_user
from portal.audit.services import record
from portal.notify.services import queue
from portal.notify.tasks import kick
from portal.unit_of_work import after_commit

INVITABLE_ROLES = ("locksmith", "coordinator")
MAX_TOKEN = 100  # a longer "token" in a URL is not one of ours: refused without a look-up


class EmailInUse(ValueError):
    """An account already has this e-mail address."""


class InvitationProblem(Exception):
    """The link cannot be used; subclasses say why."""


class InvitationUnknown(InvitationProblem):
    """No invitation has this token (mistyped, cut short or guessed)."""


class InvitationUsed(InvitationProblem):
    """The password was chosen with this link already."""


class AccountSwitchedOff(InvitationProblem):
    """No new invitation for an account that is switched off."""


class InvitationExpired(InvitationProblem):
    """The link ran out before it was used."""


class InvitationVoided(InvitationProblem):
    """A newer invitation replaced this one (or the account was switched off)."""


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _issue(session, user, by: User, *, language, now, config) -> str:
    # Any older link of this account stops working: only the newest e-mail counts.
    session.execute(
        update(StaffInvitation)
        .where(
            StaffInvitation.user_id == user.id,
            StaffInvitation.used_at.is_(None),
            StaffInvitation.voided_at.is_(None),
        )
        .values(voided_at=now)
    )
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation(
        user_id=user.id,
        token_hash=token_hash(token),
        language=invitation_emails.language_of(language, config),
        invited_by_user_id=by.id,
        created_at=now,
        expires_at=now + timedelta(hours=int(config.get("STAFF_INVITATION_HOURS", 72))),
    )
    session.add(invitation)
    session.flush()
    subject, body = invitation_emails.compose(
        user,
        invitation,
        token,
        inviter=by.name,
        config=config,
        app_needed=mfa.required_for(user, config),
    )
    after_commit(session, kick)
    queue(session, kind="staff_invitation", to=user.email, subject=subject, body=body, now=now)
    return token


def invite_staff(
    session, by: User, *, name: str, email: str, role: str, language: str, now, config
) -> tuple[User, str]:
    """A new locksmith or coordinator account without a usable password, and an invitation
    e-mail with a one-time link (returns the user and the token, which is never stored)."""
    if role not in INVITABLE_ROLES:
        raise ValueError(f"role {role} is not added here")
    address = email.strip().lower()
    if email_taken(session, address):
        raise EmailInUse(address)
    try:
        with session.begin_nested():  # two coordinators adding the same address at once
            # Nobody knows this password: the account signs in only once one is chosen.
            user = create_user(
                session, address, name.strip(), secrets.token_urlsafe(32), role, now=now
            )
    except IntegrityError as exc:
        raise EmailInUse(address) from exc
    record(
        session,
        by.actor,
        "staff_invited",
        now=now,
        object_type="user",
        object_id=user.id,
        data={"role": role, "language": language},
    )
    return user, _issue(session, user, by, language=language, now=now, config=config)


def email_taken(session, email: str) -> bool:
    """True when an account (any role) has this address, whatever its case."""
    address = (email or "").strip().lower()
    return session.scalar(select(func.count()).where(func.lower(User.email) == address)) > 0


def reinvite(session, user: User, by: User, *, now, config) -> str:
    """A new invitation for someone who has not chosen a password yet; older links stop
    working. Raises InvitationUsed when the account is already in use, AccountSwitchedOff
    when it is switched off (its link could not be used: check() refuses it)."""
    if not awaiting(session, [user.id]):
        raise InvitationUsed()
    if not user.active:
        raise AccountSwitchedOff()
    last = session.scalars(
        select(StaffInvitation)
        .where(StaffInvitation.user_id == user.id)
        .order_by(StaffInvitation.id.desc())
        .limit(1)
    ).one()
    record(session, by.actor, "staff_reinvited", now=now, object_type="user", object_id=user.id)
    return _issue(session, user, by, language=last.language, now=now, config=config)


def awaiting(session, user_ids) -> dict[int, datetime]:
    """{user id: when the newest link expires} for accounts invited and never set up."""
    used = select(StaffInvitation.user_id).where(StaffInvitation.used_at.is_not(None))
    rows = session.execute(
        select(StaffInvitation.user_id, func.max(StaffInvitation.expires_at))
        .where(StaffInvitation.user_id.in_(list(user_ids) or [-1]))
        .where(StaffInvitation.user_id.not_in(used))
        .group_by(StaffInvitation.user_id)
    ).all()
    return {user_id: expires for user_id, expires in rows}


def check(session, token: str, *, now: datetime) -> StaffInvitation:
    """The invitation of this token if it may still set a password; raises InvitationUnknown,
    InvitationUsed, InvitationExpired or InvitationVoided."""
    if not token or len(token) > MAX_TOKEN:
        raise InvitationUnknown()
    invitation = session.scalars(
        select(StaffInvitation).where(StaffInvitation.token_hash == token_hash(token))
    ).one_or_none()
    if invitation is None:
        raise InvitationUnknown()
    user = session.get(User, invitation.user_id)
    if invitation.used_at is not None:
        raise InvitationUsed()
    if invitation.voided_at is not None or user is None or not user.active:
        raise InvitationVoided()
    if invitation.expires_at <= now:
        raise InvitationExpired()
    return invitation


def accept(session, token: str, password: str, *, now: datetime) -> User:
    """Set the chosen password and use the link up (once, even for two clicks at once)."""
    invitation = check(session, token, now=now)
    done = session.execute(
        update(StaffInvitation)
        .where(
            StaffInvitation.id == invitation.id,
            StaffInvitation.used_at.is_(None),
            StaffInvitation.voided_at.is_(None),
        )
        .values(used_at=now)
    )
    if done.rowcount != 1:
        raise InvitationUsed()
    user = session.get(User, invitation.user_id)
    user.password_hash = hash_password(password)
    user.session_version += 1
    record(
        session,
        user.actor,
        "staff_invitation_accepted",
        now=now,
        object_type="user",
        object_id=user.id,
    )
    return user
