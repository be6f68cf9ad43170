"""The database refuses a citizen status the lifecycle does not know (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from tests.factories import make_citizen


def test_the_check_constraint_is_named_by_the_convention_and_lists_every_state():
    (check,) = [c for c in Citizen.__table__.constraints if c.name == "ck_citizen_status"]
    assert all(f"'{s.value}'" in str(check.sqltext) for s in CitizenStatus)


@pytest.mark.parametrize("value", ["inactive", "Fitted", ""])
def test_a_raw_update_with_an_unknown_status_is_refused(db, value):
    citizen = make_citizen(db)
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(
            text("UPDATE citizen SET status = :v WHERE id = :id"), {"v": value, "id": citizen.id}
        )
    db.rollback()
    assert db.scalar(text("SELECT status FROM citizen")) == "registered"


def test_every_state_of_the_enum_is_accepted(db):
    citizen = make_citizen(db)
    db.commit()
    for status in CitizenStatus:
        db.execute(
            text("UPDATE citizen SET status = :v WHERE id = :id"),
            {"v": status.value, "id": citizen.id},
        )
    db.commit()
    assert db.scalar(text("SELECT status FROM citizen")) == "care_ended"
