"""What production refuses to start with: one list of checks, each saying what and why.

`PORTAL_ENV_NAME=production` runs every check at the end of `create_app()`; any problem
stops the start with `UnsafeProduction` listing all of them. Another feature adds its own
check beside these with `@production_check` (config only) or `@production_check(database=True)`
(gets a session as well; skipped while the database has no tables yet, e.g. before
`flask db upgrade`).

How "more than one process" is known: the number of web processes is `PROCESSES`
(`PORTAL_PROCESSES`), else gunicorn's `WEB_CONCURRENCY`; `gunicorn.conf.py` sets
`PORTAL_PROCESSES` from the workers it starts. Several machines behind a load balancer each
run one process or more: set `REDIS_URL` there (or `PORTAL_PROCESSES` to the total count).
"""

import logging
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy.exc import OperationalError, ProgrammingError

from portal.config import DEMO_SECRET

logger = logging.getLogger("portal.production")
DEMO_MARKER = "demo_seeded"  # the audit action the demo seed writes
MIN_SECRET_BITS = 100  # estimated from the characters used; a random 32-char hex key has ~115
MIN_SECRET_LENGTH = 32


class UnsafeProduction(RuntimeError):
    """Production was asked to start with something unsafe (the message lists everything)."""

    def __init__(self, problems: list[str]):
        super().__init__("Production refuses to start:\n- " + "\n- ".join(problems))
        self.problems = problems


# (check, needs a database session)
CHECKS: list[tuple[Callable, bool]] = []


def production_check(fn=None, *, database: bool = False):
    """Register fn(config[, session]) -> iterable of problems (plain sentences)."""

    def register(f):
        CHECKS.append((f, database))
        return f

    return register(fn) if fn is not None else register


def is_production(config) -> bool:
    """True when this configuration is a production one."""
    return config.get("ENV_NAME") == "production"


def weak_secret(value) -> bool:
    """Too short, a demo word, repetitive or drawn from too few characters to be random."""
    text = str(value or "")
    if len(text) < MIN_SECRET_LENGTH or DEMO_SECRET.search(text):
        return True
    counts = Counter(text)
    bits = -sum(n * math.log2(n / len(text)) for n in counts.values())
    grams = {text[i : i + 4] for i in range(len(text) - 3)}
    return bits < MIN_SECRET_BITS or len(grams) < 0.75 * (len(text) - 3)


def process_count(config, environ=os.environ) -> int:
    """How many web processes serve this deployment (see the module docstring)."""
    raw = config.get("PROCESSES") or environ.get("WEB_CONCURRENCY") or 1
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


@production_check
def _secret_key(config) -> Iterable[str]:
    if weak_secret(config.get("SECRET_KEY")):
        yield (
            "SECRET_KEY is missing, short, a demo value or of low entropy: it signs every "
            "session cookie, so a guessable key lets anyone sign in as anyone. Use e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )


@production_check
def _field_keys(config) -> Iterable[str]:
    ring = config.get("FIELD_KEYS") or {}
    keys = list((ring.get("keys") or {}).values()) + [ring.get("index_key")]
    if any(weak_secret(k) for k in keys):
        yield (
            "FIELD_KEYS holds a short or low-entropy key: national ids and letter codes are "
            "encrypted and indexed with them."
        )


@production_check
def _cookies(config) -> Iterable[str]:
    if config.get("INSECURE_COOKIES"):
        yield "PORTAL_INSECURE_COOKIES is set: session cookies would travel over plain http."
    elif config.get("SESSION_COOKIE_SECURE") is False:
        yield "SESSION_COOKIE_SECURE is off: session cookies would travel over plain http."


@production_check
def _demo_flag(config) -> Iterable[str]:
    if config.get("DEMO_DATA"):
        yield "DEMO_DATA is set: production never runs on the demo municipality."


@production_check
def _shared_rate_limits(config) -> Iterable[str]:
    processes = process_count(config)
    if processes > 1 and not config.get("REDIS_URL"):
        yield (
            f"{processes} web processes serve but REDIS_URL is not set: each process would "
            "count sign-in attempts on its own, multiplying every rate limit."
        )


@production_check
def _staff_mfa(config) -> Iterable[str]:
    required = set(config.get("MFA_REQUIRED_ROLES") or ())
    missing = sorted({"coordinator", "provider_admin"} - required)
    if missing:
        yield (
            f"MFA_REQUIRED_ROLES leaves out {', '.join(missing)}: these roles see personal data "
            "of many citizens and must sign in with a second factor."
        )


def problems(config, session=None) -> list[str]:
    """Every problem the registered checks find (database checks only with a session)."""
    found: list[str] = []
    for check, database in CHECKS:
        if database:
            if session is not None:
                found += list(_database_problems(check, config, session))
        else:
            found += list(check(config))
    return found


def _database_problems(check, config, session) -> list[str]:
    try:
        return list(check(config, session))
    except (OperationalError, ProgrammingError):
        session.rollback()  # no tables yet (before `flask db upgrade`): nothing to refuse
        return []


def warn_about(app) -> None:
    """Start-up warnings for what is allowed but weaker (any environment)."""
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        logger.warning(
            "Rate limits are counted inside this process only (no REDIS_URL): with more than "
            "one web process each counts alone and every limit is multiplied. Set REDIS_URL."
        )


def refuse_unsafe(app) -> None:
    """Raise UnsafeProduction when a production app is configured or seeded unsafely."""
    if not is_production(app.config):
        return
    from portal.extensions import db

    with app.app_context():
        try:
            found = problems(app.config, db.session)
        finally:
            db.session.remove()
    if found:
        raise UnsafeProduction(found)
