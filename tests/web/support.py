"""Shared helpers for the foundation tests: an English-speaking test client, the fixtures
`client` and `make_app` (import them), and a small world with one principal of every role."""

import re
from dataclasses import dataclass, field

import pytest

from portal import create_app
from portal.citizens.importer import store_upload
from portal.consent.models import OwnerOrganisation, PartnerCompany
from portal.extensions import db as _db
from tests.conftest import isolated_client, make_test_config, reset_limiter
from tests.factories import NOW, make_citizen, make_property, make_provider, make_user
from tests.helpers import sign_in_citizen, sign_in_staff

ROLES = (
    "anonymous",
    "citizen",
    "relative",
    "owner",
    "coordinator",
    "locksmith",
    "provider_admin",
    "partner_admin",
)
RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@dataclass
class World:
    """Everything the authorisation tests refer to, by name."""

    citizen: object = None
    other_citizen: object = None
    users: dict = field(default_factory=dict)
    own_property: object = None
    other_property: object = None
    own_batch: object = None
    other_batch: object = None
    company: object = None
    other_company: object = None


def make_world(session) -> World:
    """Two citizens, two owner organisations with a building each, staff of every role, and
    an import batch uploaded by each of two coordinators (commits)."""
    w = World()
    w.citizen = make_citizen(session, name="Agnes Egen", address="Egenvej 1")
    w.other_citizen = make_citizen(session, name="Bodil Fremmed", address="Fremmedvej 2")
    own_org, other_org = OwnerOrganisation(name="Egen Bolig"), OwnerOrganisation(name="Anden A/S")
    w.own_property = make_property(session, owner=own_org)
    w.other_property = make_property(session, owner=other_org)
    admin_provider = make_provider(session)
    w.company = PartnerCompany(name="Egen Post", created_at=NOW)
    w.other_company = PartnerCompany(name="Anden Post", created_at=NOW)
    session.add_all([w.company, w.other_company])
    session.flush()
    w.users = {
        "coordinator": make_user(session, "coordinator"),
        "other_coordinator": make_user(session, "coordinator"),
        "locksmith": make_user(session, "locksmith"),
        "provider_admin": make_user(session, "provider_admin", provider_id=admin_provider.id),
        "owner": make_user(session, "owner", owner_organisation_id=own_org.id),
        "partner_admin": make_user(session, "partner_admin", partner_company_id=w.company.id),
    }
    raw = b"external_id,national_id,name,date_of_birth,address,postcode,city\n"
    w.own_batch = store_upload(
        session,
        "a.csv",
        raw + b"X1,2403411234,A,1941-03-24,B,4100,C\n",
        w.users["coordinator"].id,
        NOW,
    )
    w.other_batch = store_upload(
        session,
        "b.csv",
        raw + b"X2,2403411235,A,1941-03-24,B,4100,C\n",
        w.users["other_coordinator"].id,
        NOW,
    )
    session.commit()
    return w


def english_client(app, addr: str = "127.0.0.1"):
    """An isolated test client whose browser asks for English (the default locale is Danish),
    so assertions read the source strings; Danish has its own tests."""
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=addr)
    return client


@pytest.fixture
def client(app):
    """The shared `client`, speaking English (import it where assertions read English)."""
    return english_client(app)


def client_for(app, world: World, role: str):
    """A test client signed in as `role` (anonymous: not signed in)."""
    client = english_client(app)
    if role == "citizen":
        sign_in_citizen(client, world.citizen)
    elif role == "relative":
        sign_in_citizen(client, world.citizen, relative=RELATIVE)
    elif role != "anonymous":
        sign_in_staff(client, world.users[role])
    return client


def csrf_token_of(html: str) -> str:
    """The CSRF token a page carries (hidden input or the htmx header on <body>)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def make_app(app, tmp_path):
    """make_app(**config) -> a second portal on the test database with other settings.

    Import this fixture into a conftest.py (or a test module) to use it."""
    made = []

    def build(**extra):
        fresh = create_app(
            make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path), **extra)
        )
        made.append(fresh)
        with fresh.app_context():
            reset_limiter()
        return fresh

    yield build
    for fresh in made:
        with fresh.app_context():
            reset_limiter()
            _db.session.remove()
            _db.engine.dispose()
