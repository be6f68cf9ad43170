"""Who an OpenID Connect sign-in (MitID, MitID Erhverv, BankID brokers) is, in the register.

No Flask here: the view (views_oidc.py) runs the protocol with Authlib (PKCE, state and
nonce; the ID token's signature, issuer, audience, expiry and nonce checked) and hands the
verified claims to these functions. The national id is only ever used to compute the blind
index the register looks citizens up by; it is neither stored nor logged.

Owners (MitID Erhverv's organisation number, CVR): owner organisations live in `consent`, a
floor above accounts, so the mapping is a registry here. When OIDC_ORG_NUMBER_CLAIM is set
and the token carries that claim, `owner_for` asks each lookup in `ORGANISATION_LOOKUPS`
(`f(session, org_number) -> User | None`, the owner account to sign in); consent appends
`portal.consent.owner_accounts.owner_by_org_number` in its init_app.
"""

from datetime import datetime

from sqlalchemy import select

from portal.accounts.services import InvalidCredentials, citizen_actor
from portal.audit.services import SYSTEM, record
from portal.citizens import validation
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.citizens.register import NATIONAL_ID_PURPOSE

ORGANISATION_LOOKUPS: list = []  # filled by the owners' feature (see the module docstring)


def citizen_for(session, keyring, national_id: str, country: str) -> Citizen | None:
    """The citizen with this national id (through the blind index), if the register has one."""
    try:
        compact = validation.normalise_national_id(str(national_id or ""), country)
    except ValueError:
        return None
    index = keyring.blind_index(compact, NATIONAL_ID_PURPOSE)
    return session.scalar(select(Citizen).where(Citizen.national_id_index == index))


def owner_for(session, claims: dict, *, claim: str | None, issuer: str, now: datetime):
    """The owner account named by the organisation number claim, if a lookup finds one."""
    org_number = str(claims.get(claim) or "").strip() if claim else ""
    if not org_number:
        return None
    for lookup in ORGANISATION_LOOKUPS:
        user = lookup(session, org_number)
        if user is not None and user.active and user.role == "owner":
            record(
                session,
                user.actor,
                "sign_in",
                now=now,
                object_type="user",
                object_id=user.id,
                data={"method": "oidc", "iss": issuer},
            )
            return user
    return None


def sign_in_citizen(
    session, keyring, claims: dict, *, claim: str, country: str, issuer: str, now: datetime
) -> Citizen:
    """The citizen named by verified ID-token claims; InvalidCredentials when none is."""
    citizen = citizen_for(session, keyring, claims.get(claim), country)
    if citizen is None or citizen.status == CitizenStatus.CARE_ENDED:
        record(session, SYSTEM, "sign_in_failed", now=now, data={"kind": "oidc", "iss": issuer})
        raise InvalidCredentials()
    record(
        session,
        citizen_actor(citizen),
        "sign_in",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"method": "oidc", "iss": issuer},
    )
    return citizen
