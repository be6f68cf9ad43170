"""Scoped API tokens: create (the secret shown once), revoke, and find the token of a request.

A token reads `kc_<prefix>_<secret>`: the prefix (8 random base32 characters) finds the row,
the secret (32 random bytes, base64url) is checked against its SHA-256 in constant time. A
high-entropy secret needs no slow password hash; the database never holds it.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.audit.services import Actor, record
from portal.careapi.models import ApiToken
from portal.connections import write_after_all

SCOPES = ("citizens:write", "visits:read", "requests:read")
_PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class TokenError(Exception):
    """A token that cannot be made as asked."""


@dataclass(frozen=True)
class NewToken:
    """A created token and its secret in clear (shown once, never stored)."""

    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(
    session,
    name: str,
    scopes,
    *,
    provider_id: int | None,
    expires_at: datetime | None,
    now: datetime,
    actor: Actor,
) -> NewToken:
    """A new token with the given scopes (audited; flush, never commit)."""
    chosen = sorted(set(scopes))
    if not chosen or not set(chosen) <= set(SCOPES):
        raise TokenError("scopes")
    if not name.strip():
        raise TokenError("name")
    if expires_at is not None and expires_at <= now:
        raise TokenError("expires_at")
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(8))
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip()[:120],
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=" ".join(chosen),
        provider_id=provider_id,
        created_by=actor.describe()[:300],
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor,
        "api_token.created",
        now=now,
        object_type="api_token",
        object_id=token.id,
        data={"name": token.name, "scopes": token.scopes, "provider_id": provider_id},
    )
    return NewToken(token, f"kc_{prefix}_{secret}")


def revoke(session, token: ApiToken, *, now: datetime, actor: Actor) -> ApiToken:
    """Revoke a token at once (audited; a second revocation changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        record(
            session,
            actor,
            "api_token.revoked",
            now=now,
            object_type="api_token",
            object_id=token.id,
        )
    return token


def prefix_of(presented: str) -> str | None:
    """The lookup prefix of a presented token, or None when it is not shaped like one."""
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != "kc" or len(parts[1]) != 8 or len(presented) > 100:
        return None
    return parts[1]


def authenticate(session, presented: str, *, now: datetime) -> ApiToken | None:
    """The live token matching the presented text, or None (unknown, wrong, revoked, expired)."""
    prefix = prefix_of(presented)
    if prefix is None:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    secret = presented[len(prefix) + 4 :]
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    return token


def actor_of(token: ApiToken) -> Actor:
    """The audit actor of a client: the care system, named as the coordinator named it."""
    return Actor("api_token", token.id, f"care system: {token.name}"[:200])


def used(session, token: ApiToken, method: str, path: str, status: int, *, now: datetime) -> None:
    """Note one use of a token: its last-used time and an audit record (flush, never commit)."""
    write_after_all(session)  # every use is audited, reads (GET) included
    token.last_used_at = now
    record(
        session,
        actor_of(token),
        "api_token.used",
        now=now,
        object_type="api_token",
        object_id=token.id,
        data={"method": method, "path": path[:200], "status": status},
    )
