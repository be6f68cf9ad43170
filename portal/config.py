"""Configuration: defaults -> instance/config.py -> PORTAL_* environment -> test_config."""

import json
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

DEMO_SECRET = re.compile(r"(^|[^a-z0-9])(demo|dev|test|change-?me|secret)([^a-z0-9]|$)", re.I)


class Defaults:
    """Settings a fresh install runs with; override in instance/config.py or PORTAL_* env."""

    ENV_NAME = "development"
    MUNICIPALITY_NAME = "Demo Kommune"
    MUNICIPALITY_LOGO = "img/logo.svg"
    MUNICIPALITY_ADDRESS = "Rådhuspladsen 1, 4100 Demoby"
    MUNICIPALITY_PHONE = "+45 70 10 20 30"
    MUNICIPALITY_HOURS = {
        "da": "mandag-fredag kl. 9-15",  # shown mid-sentence
        "sv": "måndag-fredag kl. 9-15",
        "en": "Monday to Friday, 9:00-15:00",
    }
    MUNICIPALITY_EMAIL = "hjemmepleje@demo.example"
    PORTAL_URL = "http://127.0.0.1:5000"
    COUNTRY = "DK"
    TIMEZONE = "Europe/Copenhagen"
    BABEL_DEFAULT_LOCALE = "da"
    LANGUAGES = ("da", "sv", "en")

    # No pool_pre_ping: portal.connections checks each pooled connection without a round trip.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL replaces it (see portal.factory)
    # Reverse proxies in front of the portal that set X-Forwarded-For/-Proto (0: none, the
    # client connects directly). Too high lets a client forge its address.
    TRUSTED_PROXIES = 0
    HSTS_SECONDS = None  # production: two years; 0 turns the header off
    RATELIMIT_HEADERS_ENABLED = True
    # Fail safe when Redis is down: every limit goes on being counted in each process's memory
    # (with the same limits) until Redis answers again, rather than letting every attempt
    # through or refusing every sign-in with an error. The per-account and per-code lock-outs
    # are kept in the database and do not depend on Redis at all.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    CITIZEN_SIGNIN_LIMIT = "30 per 15 minutes"
    CITIZEN_CODE_LIMIT = "10 per 15 minutes"
    STAFF_SIGNIN_LIMIT = "30 per 15 minutes"
    # Failed staff sign-ins per account (known or not) and per client address, then a pause.
    STAFF_ACCOUNT_MAX_FAILURES = 10
    STAFF_ADDRESS_MAX_FAILURES = 20  # below STAFF_SIGNIN_LIMIT, which counts every POST
    STAFF_LOCK_MINUTES = 15
    # Staff roles that must use an authenticator app (TOTP) after the password. Others may.
    MFA_REQUIRED_ROLES = ("coordinator", "provider_admin", "partner_admin")
    # Hours a new staff member's invitation link works (accounts.invitations).
    STAFF_INVITATION_HOURS = 72
    # Citizens' sign-in through an OpenID Connect eID broker (off while OIDC_ISSUER is None).
    OIDC_ISSUER = None
    OIDC_CLIENT_ID = None
    OIDC_CLIENT_SECRET = None
    OIDC_SCOPES = "openid"
    OIDC_NATIONAL_ID_CLAIM = "nin"
    OIDC_ORG_NUMBER_CLAIM = None  # e.g. "cvr" for MitID Erhverv (owners; see accounts.oidc)
    OIDC_LABEL = "MitID"
    CODE_MAX_FAILURES = 5
    CODE_LOCK_MINUTES = 15
    # Each further lock in a row doubles the pause, up to this (equal to CODE_LOCK_MINUTES: a
    # fixed pause). The code is on paper; the date of birth is all a finder has to guess.
    CODE_LOCK_MAX_MINUTES = 8 * 60

    CITIZEN_IDLE_MINUTES = 30
    STAFF_IDLE_MINUTES = 8 * 60
    # However busy, a sign-in ends this long after it began (a stolen cookie does not live on).
    SESSION_MAX_HOURS = 12
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # The idle check refreshes the session (and so the cookie's expiry) once a minute.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "portal_session"
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    # Days an import's receipt keeps its skipped rows and their reasons (they quote the file's
    # values), as messages are kept 90 days: working data, not the record (citizens.uploads).
    IMPORT_DETAILS_DAYS = 90
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    PAGE_SIZE = 25

    BOOKING_CUTOFF_HOURS = 24
    REMINDER_HOUR = 10
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = None  # falls back to MUNICIPALITY_EMAIL
    MAIL_TIMEOUT = 10
    MAIL_MAX_ATTEMPTS = 10
    MAIL_MESSAGE_ID_DOMAIN = None

    SHIFT_HOURS = 9
    PIN_MAX_FAILURES = 5
    REQUEST_SKEW_SECONDS = 300
    ENROLMENT_CODE_MINUTES = 15
    BATTERY_ALERT_PERCENT = 20
    # Insights: battery routes take units below this (above the alert, so a round picks up the
    # nearly low ones); a unit without a report for this many days counts as silent.
    BATTERY_ROUTE_PERCENT = 30
    SILENT_UNIT_DAYS = 14
    SHIFT_RATE_LIMIT = "20 per minute"
    SHIFT_ADDRESS_RATE_LIMIT = "300 per minute"
    ENROLMENT_RATE_LIMIT = "20 per minute"
    EVENTS_RATE_LIMIT = "120 per minute"
    API_MAX_EVENTS = 500
    KEY_ISSUER = None  # falls back to PORTAL_URL
    ISSUER_KEY_DIR = None  # falls back to instance/keys
    # Signed audit checkpoints: the Ed25519 key (kept apart from the database and from the
    # checkpoint files), where the files go, and a public key to verify with instead.
    AUDIT_CHECKPOINT_DIR = None  # falls back to instance/audit-checkpoints
    AUDIT_CHECKPOINT_KEY = None  # falls back to instance/keys/audit-checkpoint.pem
    AUDIT_CHECKPOINT_PUBLIC_KEY = None
    # The care-system API: requests per token, and how long an idempotent answer is kept.
    CAREAPI_RATE_LIMIT = "120 per minute"
    CAREAPI_IDEMPOTENCY_HOURS = 24

    LETTER_WINDOW_LEFT_MM = 20  # DIN 5008 form B / C5 and DL window envelopes
    LETTER_WINDOW_TOP_MM = 45
    LETTER_WINDOW_WIDTH_MM = 90
    LETTER_WINDOW_HEIGHT_MM = 45
    LETTER_SIGNATURE_NAME = "Mette Holm"
    LETTER_SIGNATURE_TITLE = {
        "da": "Leder af Hjemmeplejen",
        "sv": "Chef för hemtjänsten",
        "en": "Head of Home Care",
    }
    LETTER_REFERENCE_PREFIX = "NH"
    LETTER_RENDER_PROCESSES = 2
    LETTER_INLINE_BELOW = 8
    LETTER_WORKER_MAX_TASKS = None
    LETTER_BATCH_STALE_SECONDS = 120
    LETTER_RENDER_LIMIT = "60 per 10 minutes"  # PDFs made in requests, per user (web.limits)
    # Seconds one PDF (a letter, a consent receipt, an access export, a key receipt) may take to
    # lay out (a 2-page letter takes about 0.25 s): a letter still rendering then is stopped and
    # marked failed, a page asking for a PDF says so in words. None: no limit (and batches of
    # fewer than LETTER_INLINE_BELOW letters may render in the job's own process again). Its
    # old name LETTER_RENDER_TIMEOUT still counts while this one keeps its default
    # (portal.documents.pool.render_timeout).
    PDF_RENDER_TIMEOUT = 30
    WTF_CSRF_TIME_LIMIT = None


def instance_folder(test_config: dict | None = None, environ=os.environ) -> str | None:
    """The instance folder (config.py, secrets, keys/, letters/): the test config's
    INSTANCE_PATH, else the PORTAL_INSTANCE_PATH environment variable, else None (Flask's
    `instance/` beside the code).

    A relative path is refused: it would follow the working directory of whichever process
    starts (web server, job worker, a `flask` command), and each could find other keys.
    """
    for source, value in (
        ("INSTANCE_PATH in the test config", (test_config or {}).get("INSTANCE_PATH")),
        ("PORTAL_INSTANCE_PATH", environ.get("PORTAL_INSTANCE_PATH")),
    ):
        if value:
            if not os.path.isabs(value):
                raise ValueError(f"{source} must be an absolute path, not {value!r}")
            return str(value)
    return None


def instance_secret(instance_path: Path, name: str, nbytes: int = 32) -> str:
    """Read a generated secret from instance/, creating it on first use."""
    path = instance_path / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def field_keys(instance_path: Path) -> dict:
    """The AES-GCM field keyring and blind-index key, generated into instance/keys on first run."""
    path = instance_path / "keys" / "fields.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ring = {
            "current": "k1",
            "keys": {"k1": secrets.token_urlsafe(32)},
            "index_key": secrets.token_urlsafe(32),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(ring, fh)
    return json.loads(path.read_text())


def env_overrides(environ=os.environ) -> dict:
    """PORTAL_FOO=bar becomes FOO='bar' (JSON values are parsed: numbers, true/false)."""
    out = {}
    for key, raw in environ.items():
        if not key.startswith("PORTAL_"):
            continue
        try:
            out[key[7:]] = json.loads(raw)
        except ValueError:
            out[key[7:]] = raw
    if environ.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    if environ.get("REDIS_URL"):
        out["REDIS_URL"] = environ["REDIS_URL"]
        out.setdefault("RATELIMIT_STORAGE_URI", environ["REDIS_URL"])
    return out
