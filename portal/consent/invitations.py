"""Invitation codes on consent requests: issue one, find one, check it before an owner signs in.

The code is a letter code (`portal.citizens.letter_codes`: 12 characters with a check
character), stored encrypted (to print the letter again) and as a blind index (to find it),
never in clear. A code signs in once: it creates the first owner account of the organisation,
then that person signs in with email and password (and may invite colleagues).
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import object_session

from portal.accounts.models import User
from portal.audit.services import SYSTEM, Actor, record
from portal.citizens import letter_codes
from portal.consent.models import ConsentRequest, OwnerInvitation, RequestStatus
from portal.consent.requests import INVITE_PURPOSE as INVITATION_PURPOSE
from portal.consent.requests import code_of, find_by_code  # noqa: F401  (one place for the code)

COLLEAGUE_PURPOSE = "owner_colleague"


class InvitationProblem(Exception):
    """The code cannot be used; subclasses say why (each has its own message)."""

    def __init__(self, request: ConsentRequest | None = None):
        super().__init__(type(self).__name__)
        self.request = request


class InvitationUnknown(InvitationProblem):
    """No request has this code."""


class InvitationUsed(InvitationProblem):
    """The code has already been used to create an account."""


class InvitationExpired(InvitationProblem):
    """The request ran out before the owner answered."""


class InvitationCancelled(InvitationProblem):
    """The request was cancelled (for example because the property was sold)."""


class InviterSwitchedOff(InvitationProblem):
    """A colleague's code whose inviting owner's account has been switched off since: it would
    otherwise let that owner back in through an invitation made for the purpose."""


def issue_request(
    session,
    keyring,
    owner,
    properties,
    *,
    now: datetime,
    actor: Actor,
    days: int = 30,
    channel: str = "letter",
    rng=None,
) -> tuple[ConsentRequest, str]:
    """A new open request to `owner` about `properties`, and its code in clear (flushes)."""
    code = letter_codes.generate(rng)
    request = ConsentRequest(
        owner_id=owner.id,
        code_enc=keyring.encrypt(code, INVITATION_PURPOSE),
        code_index=keyring.blind_index(code, INVITATION_PURPOSE),
        channel=channel,
        language=owner.language or "da",
        sent_at=now,
        expires_at=now + timedelta(days=days),
        properties=list(properties),
    )
    session.add(request)
    session.flush()
    record(
        session,
        actor,
        "consent.request_issued",
        now=now,
        object_type="consent_request",
        object_id=request.id,
        data={"owner": owner.id},
    )
    return request, code


def _refuse(session, request, error: type[InvitationProblem], now: datetime):
    kind = "consent_request"
    if isinstance(request, ConsentRequest):
        request.code_failures = (request.code_failures or 0) + 1
    else:
        kind = "owner_invitation"
    record(
        session,
        SYSTEM,
        "consent.code_refused",
        now=now,
        object_type=kind,
        object_id=request.id,
        data={"why": error.__name__},
    )
    raise error(request)


def usable(request, now: datetime) -> type[InvitationProblem] | None:
    """Why a request's (or colleague invitation's) code cannot sign in now, or None."""
    if isinstance(request, OwnerInvitation):
        if request.redeemed_at is not None:
            return InvitationUsed
        if request.expires_at <= now:
            return InvitationExpired
        return InviterSwitchedOff if _inviter_switched_off(request) else None
    if request.status == RequestStatus.CANCELLED:
        return InvitationCancelled
    if request.redeemed_at is not None:
        return InvitationUsed
    if request.has_expired(now):
        return InvitationExpired
    return None


def _inviter_switched_off(invitation: OwnerInvitation) -> bool:
    if invitation.invited_by_user_id is None:
        return False
    inviter = object_session(invitation).get(User, invitation.invited_by_user_id)
    return inviter is None or not inviter.active


def find_colleague_invitation(session, keyring, code: str) -> OwnerInvitation | None:
    """The colleague invitation with this normalised code, if any."""
    index = keyring.blind_index(code, COLLEAGUE_PURPOSE)
    return session.scalars(
        select(OwnerInvitation).where(OwnerInvitation.code_index == index)
    ).one_or_none()


def invite_colleague(
    session, keyring, user, *, name: str, email: str, now: datetime, days: int = 14, rng=None
) -> tuple[OwnerInvitation, str]:
    """A one-time code for a colleague of `user`'s organisation (shown once; flushes)."""
    code = letter_codes.generate(rng)
    invitation = OwnerInvitation(
        owner_id=user.owner_organisation_id,
        code_index=keyring.blind_index(code, COLLEAGUE_PURPOSE),
        name=name.strip(),
        email=email.strip().lower(),
        invited_by_user_id=user.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    record(
        session,
        user.actor,
        "consent.colleague_invited",
        now=now,
        object_type="owner_invitation",
        object_id=invitation.id,
        data={"owner": user.owner_organisation_id},
    )
    return invitation, code


def check_code(session, keyring, code_text: str, *, now: datetime):
    """The request a typed code belongs to, if it may still sign in.

    Raises MalformedCode (a typing error), InvitationUnknown, InvitationCancelled,
    InvitationUsed or InvitationExpired; a refusal of a known code is counted and audited,
    so the caller commits on those too.
    """
    code = letter_codes.normalise(code_text)
    request = find_by_code(session, keyring, code) or find_colleague_invitation(
        session, keyring, code
    )
    if request is None:
        record(session, SYSTEM, "consent.code_refused", now=now, data={"why": "unknown"})
        raise InvitationUnknown()
    problem = usable(request, now)
    if problem is not None:
        _refuse(session, request, problem, now)
    return request
