"""Two decisions on one request at once (a citizen withdraws while the coordinator approves,
a double click on Approve): one wins, the other is refused, and nothing is done twice."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.changes import decisions, rules, services
from portal.changes.models import ChangeRequest, ProviderNotice
from portal.extensions import db as _db
from tests.changes.support import (
    CITIZEN,
    COORDINATOR,
    NOW,
    fitted_citizen,
    make_town,
    on,
    policy,
)


def _approve(session, req, p):
    return decisions.approve(
        session, req, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p
    )


DECISIONS = {
    "approve": _approve,
    "withdraw": lambda s, r, p: decisions.withdraw(s, r, now=NOW, actor=CITIZEN),
    "refuse": lambda s, r, p: decisions.refuse(s, r, "No", now=NOW, actor=COORDINATOR),
}
FINAL = {"approve": "approved", "withdraw": "withdrawn", "refuse": "refused"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("approve", "withdraw"),
        ("approve", "approve"),
        ("withdraw", "approve"),
        ("refuse", "withdraw"),
    ],
)
def test_the_second_of_two_decisions_read_at_once_is_refused(db, app, first, second):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=p,
    )
    db.commit()
    with Session(_db.engine) as one, Session(_db.engine) as two:
        # Both read the request while it is still pending ...
        mine, theirs = one.get(ChangeRequest, req.id), two.get(ChangeRequest, req.id)
        assert mine.status == theirs.status == "pending"
        DECISIONS[first](one, mine, p)
        one.commit()
        # ... and the second decision comes after the first is saved.
        with pytest.raises(rules.NotOpen):
            DECISIONS[second](two, theirs, p)
        two.rollback()
    db.expire_all()
    assert db.get(ChangeRequest, req.id).status == FINAL[first]
    notices = db.scalar(select(func.count()).select_from(ProviderNotice))
    assert notices == (2 if first == "approve" else 0)
