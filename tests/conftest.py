"""Shared fixtures: one app and database per test session, emptied after every test.

SQLite by default; TEST_DATABASE_URL points the whole suite at PostgreSQL, where each run
(and each xdist worker) gets its own schema that is dropped afterwards.

Time: a test that stores a moment (`now`, `NOW`) and then lets the code read the time must set
the app's clock with the `clock` fixture. `--clock-ahead DAYS` (or PORTAL_TEST_CLOCK_AHEAD)
moves the whole test process that many days ahead (time-machine, ticking), which finds every
test that mixes a fixed moment with the real clock.
"""

import base64
import contextvars
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from flask import current_app, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from portal import clock as app_clock
from portal import create_app
from portal.extensions import db as _db
from portal.extensions import limiter
from tests.factories import NOW  # one moment for every test (re-exported here)

TEST_KEYS = {
    "current": "t1",
    "keys": {"t1": base64.urlsafe_b64encode(b"k" * 32).decode()},
    "index_key": base64.urlsafe_b64encode(b"i" * 32).decode(),
}
# Argon2 at its smallest cost: a hash still verifies (argon2 reads the cost from the hash),
# and a test that signs in wrongly many times in a row stays fast.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
CHEAP_DUMMY = CHEAP_HASHER.hash("not-a-real-password")


def pytest_addoption(parser):
    parser.addoption(
        "--clock-ahead",
        type=int,
        default=int(os.environ.get("PORTAL_TEST_CLOCK_AHEAD") or 0),
        metavar="DAYS",
        help="run the whole test process DAYS days ahead of the real date (time-machine)",
    )


def pytest_configure(config):
    days = config.getoption("--clock-ahead")
    if days:
        import time_machine

        traveller = time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)
        traveller.start()
        config._clock_traveller = traveller


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    days = config.getoption("--clock-ahead")
    return f"clock: {days} days ahead of the real date" if days else None


def _database_uri(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}", None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", (url, schema)


def make_test_config(uri: str, instance: str, **extra) -> dict:
    """Config every test app shares."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-only-key-not-for-production-use",
        "FIELD_KEYS": TEST_KEYS,
        "INSECURE_COOKIES": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "INSTANCE_PATH": instance,
        "SERVER_NAME": None,
        # Staff sign in with the password only, so every test can sign in; the second factor
        # has its own tests (tests/accounts/test_mfa.py), which turn it back on.
        "MFA_REQUIRED_ROLES": (),
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The portal with an empty schema."""
    uri, pg = _database_uri(tmp_path_factory)
    instance = str(tmp_path_factory.mktemp("instance"))
    application = create_app(make_test_config(uri, instance))
    with application.app_context():
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
    if pg:
        engine = create_engine(pg[0])
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{pg[1]}" CASCADE'))
        engine.dispose()


def empty_tables(application) -> None:
    """Delete every row, children first."""
    with application.app_context():
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


def reset_limiter() -> None:
    """Clear every rate-limit count, on the limiter's own storage.

    One Limiter object serves every app in the process. A test that made its storage
    unreachable leaves it on the in-memory fallback; Flask-Limiter's periodic recovery check
    would then switch storage back in the middle of a later test and lose that test's counts."""
    limiter._storage_dead = False  # no public way to leave the fallback
    limiter.reset()


def _settings_names() -> list[str]:
    from portal.directory.settings import FIELDS

    logo = ["MUNICIPALITY_LOGO_SHA", "MUNICIPALITY_LOGO_DATA", "MUNICIPALITY_LOGO_SIZE"]
    return [name for name, _per_language in FIELDS.values()] + logo


def reset_settings(application, pristine: dict) -> None:
    """Put the municipality's texts back as the app was built. The settings remember a text's
    configured value when it is first saved and bring that back when the saved text goes; a
    test that patched the config before saving would otherwise leave its value behind."""
    application.config.update(pristine)
    application.extensions.pop("municipality_defaults", None)
    application.extensions.get("municipality_settings", {})["at"] = None


@pytest.fixture(autouse=True)
def _clean(request):
    pristine = None
    if "app" in request.fixturenames:
        config = request.getfixturevalue("app").config
        pristine = {name: config.get(name) for name in _settings_names()}
    yield
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        empty_tables(application)
        reset_settings(application, pristine)
        with application.app_context():
            reset_limiter()


@pytest.fixture
def db(app):
    """The SQLAlchemy session inside an app context."""
    with app.app_context():
        yield _db.session
        _db.session.rollback()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Every test hashes passwords and PINs with the cheapest argon2 (production is unchanged)."""
    from portal.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY", CHEAP_DUMMY)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as in production.

    A plain client of `app` shares the app context the `db` fixture pushed: Flask-Login then
    keeps the user it loaded in `g` from one request to the next, and request and test share
    one SQLAlchemy session. A signed-out or deactivated session then still looks alive (the
    sign-out replay test passed even with the server-side check removed). What the test
    arranged with `db` is committed first (expiring the test's objects, so they are read
    afresh after the request)."""

    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            _db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


def isolated_client(application) -> IsolatedClient:
    """A cookie-keeping test client of `application`, each request in its own context."""
    return IsolatedClient(application, application.response_class, use_cookies=True)


@pytest.fixture
def client(app):
    """A test client, each request in its own context (see IsolatedClient)."""
    return isolated_client(app)


@pytest.fixture
def keyring(app):
    """The field keyring the app uses."""
    return app.extensions["keyring"]


@pytest.fixture
def now():
    """A fixed Monday morning."""
    return NOW


@pytest.fixture
def clock(app):
    """The app's clock, standing still at NOW until the test moves it (`set`, `advance`)."""
    fixed = app_clock.SetClock(NOW)
    app_clock.install(app, fixed)
    yield fixed
    app_clock.install(app, None)
