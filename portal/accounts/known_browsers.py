"""A signed cookie naming the staff accounts that signed in from this browser before.

It is no way in by itself: it only lets the right password through while an account or an
address is throttled by someone else's wrong guesses.
"""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "portal_known"
SALT = "known-browser-v1"
MAX_AGE_DAYS = 180
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def known_ids() -> frozenset[int]:
    """The account ids this browser proved before (none when the cookie is missing or forged)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return frozenset()
    try:
        ids = _serializer().loads(raw, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return frozenset()
    return frozenset(i for i in ids if isinstance(i, int)) if isinstance(ids, list) else frozenset()


def remember(response, user_id: int):
    """Add this account to the browser's cookie (newest first, a few at most)."""
    ids = [user_id] + [i for i in sorted(known_ids()) if i != user_id]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(ids[:MAX_ACCOUNTS]),
        max_age=MAX_AGE_DAYS * 86400,
        path="/sign-in",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
