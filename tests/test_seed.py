"""`flask seed-demo`: the demo municipality, deterministic, and the printed logins work.

Each test runs the whole seed (every feature's step), a few seconds: select them with
`-m seed`, or leave them out with `-m "not seed"`.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.accounts import citizen_auth, staff_auth
from portal.accounts.models import User
from portal.citizens.models import Citizen, Relative
from portal.consent.models import Entrance, Property
from portal.demo import DEMO_PASSWORD
from portal.directory.models import CareGroup, District, Provider
from tests.conftest import NOW

pytestmark = pytest.mark.seed

CODE_LINE = re.compile(r"^\s+([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\s+(\d\d-\d\d-\d{4})\s+(.+?)\s*$")
DEMO_USERS = {
    "koordinator@demo.example": "coordinator",
    "koordinator2@demo.example": "coordinator",
    "laasesmed1@demo.example": "locksmith",
    "laasesmed2@demo.example": "locksmith",
    "laasesmed3@demo.example": "locksmith",
    "leverandoer@demo.example": "provider_admin",
    "ejer@demo.example": "owner",
    "partner@demo.example": "partner_admin",
}


def _seed(app, *args):
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    return result, [m.groups() for m in map(CODE_LINE.match, result.output.splitlines()) if m]


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_seed_creates_the_demo_municipality(app, db, keyring, now):
    expected = _foundation_codes(app, 7)
    result, codes = _seed(app, "--seed", "7")
    assert result.exit_code == 0, result.output
    assert codes == expected  # --seed reaches the generator
    assert (_count(db, District), _count(db, Provider), _count(db, Citizen)) == (3, 2, 200)
    assert {p.kind for p in db.scalars(select(Provider))} == {"municipal", "private"}
    assert db.scalar(select(func.count()).where(CareGroup.night_patrol.is_(True))) == 1
    assert 0 < _count(db, Relative) < 200
    assert {c.district_id for c in db.scalars(select(Citizen))} == set(
        db.scalars(select(District.id))
    )
    assert _count(db, Property) == 20
    assert all(p.entrances for p in db.scalars(select(Property)))
    assert _count(db, Entrance) > 20
    users = {u.email: u for u in db.scalars(select(User).where(User.email.in_(DEMO_USERS)))}
    assert {email: u.role for email, u in users.items()} == DEMO_USERS
    assert users["leverandoer@demo.example"].provider_id is not None
    assert users["ejer@demo.example"].owner_organisation_id is not None
    assert users["partner@demo.example"].partner_company_id is not None
    assert DEMO_PASSWORD in result.output and all(email in result.output for email in DEMO_USERS)
    assert staff_auth.sign_in_staff(db, "koordinator@demo.example", DEMO_PASSWORD, now=now)
    # Ten printed codes, each of which signs in with its printed date of birth.
    assert len(codes) == 10
    for code, born, name in codes:
        day, month, year = map(int, born.split("-"))
        from datetime import date

        citizen, _ = citizen_auth.sign_in_citizen(
            db, keyring, code, date(year, month, day), now=now
        )
        assert citizen.name == name

    # --if-empty on a filled database does nothing; without it the seed refuses.
    again, _ = _seed(app, "--seed", "7", "--if-empty")
    assert again.exit_code == 0 and _count(db, Citizen) == 200
    refused, _ = _seed(app, "--seed", "7")
    assert refused.exit_code != 0 and _count(db, Citizen) == 200


def _foundation_codes(app, seed: int) -> list[tuple]:
    """The foundation's demo steps (directory, citizens), in a transaction that is rolled back."""
    import random

    from portal.demo import SeedContext
    from portal.demo import foundation as demo
    from portal.directory import demo as directory_demo

    with app.app_context():
        from portal.extensions import db as _db

        ctx = SeedContext(
            session=_db.session,
            rng=random.Random(seed),
            now=NOW,
            keyring=app.extensions["keyring"],
            config=app.config,
        )
        try:
            directory_demo.seed(ctx)
            demo.seed(ctx)
        finally:
            _db.session.rollback()
    return [m.groups() for m in map(CODE_LINE.match, ctx.lines) if m]


def test_the_same_seed_gives_the_same_codes_and_dates_of_birth(app):
    first = _foundation_codes(app, 7)
    assert len(first) == 10
    assert _foundation_codes(app, 7) == first
    assert _foundation_codes(app, 8) != first


def test_the_readme_lists_the_codes_of_the_default_seed(app):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = re.findall(
        r"^\| ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) \| (\S+) \| (.+?) \|$", readme, re.M
    )
    assert len(table) == 10
    assert _foundation_codes(app, 2026) == [tuple(row) for row in table]
