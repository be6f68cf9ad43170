"""The owner's account: made once from an invitation code, then email and password.

Redeeming is one guarded UPDATE (`redeemed_at IS NULL`), so two people typing the same code
at once make one account; the other is told the code has been used.
"""

from datetime import datetime

from sqlalchemy import func, select, update

from portal.accounts.models import User
from portal.accounts.services import create_user, user_actor
from portal.audit.services import record
from portal.consent.invitations import InvitationProblem, InvitationUnknown, InvitationUsed, usable
from portal.consent.models import ConsentRequest, OwnerInvitation


class EmailTaken(Exception):
    """Another account already uses this email address."""


def email_taken(session, email: str) -> bool:
    """True when an account with this email address exists (case does not matter)."""
    email = email.strip().lower()
    return session.scalar(select(func.count()).where(func.lower(User.email) == email)) > 0


def create_owner_account(
    session,
    request_id: int,
    *,
    name: str,
    email: str,
    password: str,
    now: datetime,
    colleague: bool = False,
) -> User:
    """The organisation's owner account from a checked invitation (flushes, never commits).

    `colleague`: the id is an OwnerInvitation's, not a ConsentRequest's. Raises EmailTaken, or
    an InvitationProblem when the code was used, expired or was cancelled since it was checked.
    """
    model = OwnerInvitation if colleague else ConsentRequest
    request = session.get(model, request_id)
    if request is None:
        raise InvitationUnknown()
    problem = usable(request, now)
    if problem is not None:
        raise problem(request)
    if email_taken(session, email):
        raise EmailTaken(email)
    redeemed = session.execute(
        update(model)
        .where(model.id == request.id, model.redeemed_at.is_(None))
        .values(redeemed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if redeemed != 1:
        raise InvitationUsed(request)
    user = create_user(
        session,
        email,
        name.strip(),
        password,
        "owner",
        now=now,
        owner_organisation_id=request.owner_id,
    )
    session.execute(
        update(model)
        .where(model.id == request.id)
        .values(redeemed_by_user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    session.refresh(request)
    record(
        session,
        user_actor(user),
        "consent.owner_account_created",
        now=now,
        object_type="user",
        object_id=user.id,
        data={"colleague" if colleague else "request": request.id, "owner": request.owner_id},
    )
    return user


__all__ = ["EmailTaken", "InvitationProblem", "create_owner_account", "email_taken"]


def owner_by_org_number(session, org_number: str) -> User | None:
    """The owner account an eID broker's organisation number (CVR / organisationsnummer) signs
    in as: the organisation's first active owner account (`accounts.oidc.ORGANISATION_LOOKUPS`).

    An organisation whose people have not come in with the letter's code yet has no account:
    the broker's sign-in then finds nobody, and the letter's code is the way in.
    """
    number = "".join(ch for ch in str(org_number) if ch.isalnum())
    if not number:
        return None
    from portal.consent.models import OwnerOrganisation

    org_id = session.scalar(
        select(OwnerOrganisation.id).where(
            func.replace(func.replace(OwnerOrganisation.org_number, "-", ""), " ", "") == number
        )
    )
    if org_id is None:
        return None
    return session.scalar(
        select(User)
        .where(User.owner_organisation_id == org_id, User.role == "owner", User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
