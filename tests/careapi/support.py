"""Helpers for the care-system API tests: tokens and calls."""

import itertools
import json

from portal.audit.services import Actor
from portal.careapi import tokens

PROBLEM = "tag:keyless-care-portal,2026:problem:"
COORDINATOR = Actor("user", 1, "Carla Coordinator (coordinator)")
_keys = itertools.count(1)


def make_token(db, scopes=tokens.SCOPES, *, provider=None, expires_at=None, now, name="EHR"):
    """A token (committed) and its secret."""
    made = tokens.create(
        db,
        name,
        scopes,
        provider_id=provider.id if provider else None,
        expires_at=expires_at,
        now=now,
        actor=COORDINATOR,
    )
    db.commit()
    return made.token, made.secret


def call(client, method, path, secret=None, body=None, *, key="auto", raw=None, headers=None):
    """One API call; writes get a fresh Idempotency-Key unless `key` says otherwise."""
    sent = dict(headers or {})
    if secret:
        sent["Authorization"] = f"Bearer {secret}"
    if method == "POST" and key:
        sent["Idempotency-Key"] = f"k-{next(_keys)}" if key == "auto" else key
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    kwargs = {"headers": sent}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return client.open(f"/api/v1/care{path}", method=method, **kwargs)
