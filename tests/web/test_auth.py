"""Object-level authorisation in portal.web.auth: a citizen never sees another citizen."""

import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound

from portal.accounts.principals import CitizenPrincipal
from portal.citizens.models import Relative
from portal.web import auth
from tests.factories import make_citizen, make_user


@pytest.fixture
def two(db):
    mine, other = make_citizen(db), make_citizen(db)
    db.commit()
    return mine, other


def _as(app, principal):
    ctx = app.test_request_context()
    ctx.push()
    login_user(principal)
    return ctx


@pytest.mark.parametrize("as_relative", [False, True])
def test_a_citizen_or_relative_gets_their_own_record_and_404_for_any_other(
    app, db, two, as_relative
):
    mine, other = two
    relative = None
    if as_relative:
        relative = Relative(citizen_id=mine.id, name="R", phone="+4520304050", relation="child")
        db.add(relative)
        db.commit()
    ctx = _as(app, CitizenPrincipal(mine, relative))
    try:
        assert auth.citizen_or_404(mine.id) == mine
        for wrong in (other.id, 999_999, 0, -1, 2**31, 10**30):
            with pytest.raises(NotFound):
                auth.citizen_or_404(wrong)
    finally:
        ctx.pop()


@pytest.mark.parametrize(
    ("role", "sees"),
    [("coordinator", True), ("locksmith", False), ("provider_admin", False), ("owner", False)],
)
def test_staff_see_citizens_by_role_and_registered_rules(app, db, two, role, sees):
    mine, _ = two
    user = make_user(db, role)
    db.commit()
    assert auth.may_see_citizen(user, mine) is sees
    assert auth.may_see_citizen(user, None) is False
    auth.CITIZEN_VIEW_RULES.append(lambda principal, citizen: principal.id == user.id)
    try:
        assert auth.may_see_citizen(user, mine) is True
    finally:
        auth.CITIZEN_VIEW_RULES.pop()


def test_owners_see_only_their_own_organisations_properties(db):
    from tests.factories import make_property

    own, foreign = make_property(db), make_property(db)
    owner = make_user(db, "owner", owner_organisation_id=own.owner_id)
    coordinator = make_user(db, "coordinator")
    db.commit()
    assert auth.owner_may_see_property(owner, own) is True
    assert auth.owner_may_see_property(owner, foreign) is False
    assert auth.owner_may_see_property(owner, None) is False
    assert auth.owner_may_see_property(coordinator, foreign) is True
