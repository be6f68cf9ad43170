"""The owner's withdrawal receipt says a booked fitting visit was cancelled only when one was
booked (a job with a locksmith and a day); otherwise that none was booked."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.consent.models import Entrance
from portal.locksmith.models import Job, JobKind, JobStatus
from tests.consent.owner_support import Org
from tests.consent.test_owner_views import grant_data
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client, isolated_client

NOTHING_BOOKED = "No fitting visit had been booked, so there was none to cancel"


@pytest.fixture
def org(db, keyring, clock):
    return Org(db, keyring)


def _withdraw(client, db, entrance_id):
    entrance = db.get(Entrance, entrance_id)
    data = {
        "withdraw-version": str(entrance.version),
        "withdraw-signer_name": "Hanne Hansen",
        "withdraw-signer_role": "Chair",
        "withdraw-understood": "y",
    }
    response = client.post(f"/owner/entrances/{entrance_id}/withdraw", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.location


def _granted(app, db, org):
    client = english_client(app)
    sign_in_staff(client, org.user)
    entrance = org.first.entrances[0]
    response = client.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    assert response.status_code == 303
    db.expire_all()
    job = db.scalars(select(Job).where(Job.entrance_id == entrance.id)).one()
    assert job.kind == JobKind.ENTRANCE_UNIT and job.status == JobStatus.OPEN
    return client, entrance, job


def test_an_unplanned_fitting_is_not_called_a_cancelled_booked_visit(app, db, org):
    client, entrance, job = _granted(app, db, org)
    where = _withdraw(client, db, entrance.id)
    page = client.get(where).get_data(as_text=True)
    assert NOTHING_BOOKED in page
    assert "booked fitting visit has been cancelled" not in page
    db.expire_all()
    assert db.get(Job, job.id).status == JobStatus.CANCELLED  # the plan is called off all the same
    danish = isolated_client(app)
    sign_in_staff(danish, org.user)
    text = danish.get(where).get_data(as_text=True)
    assert "Der var ikke booket noget monteringsbesøg" in text
    assert "Et booket monteringsbesøg" not in text


def test_a_planned_visit_is_said_to_be_cancelled(app, db, org):
    client, entrance, job = _granted(app, db, org)
    fitter = make_user(db, "locksmith")
    db.flush()
    job.locksmith_id, job.day, job.status = fitter.id, (NOW + timedelta(days=7)).date(), "planned"
    db.commit()
    page = client.get(_withdraw(client, db, entrance.id)).get_data(as_text=True)
    assert "1 booked fitting visit has been cancelled." in page
    assert NOTHING_BOOKED not in page


def test_a_withdrawal_from_before_visits_were_counted_claims_neither(app, db, org):
    from portal.audit.models import AuditRecord

    client, entrance, _job = _granted(app, db, org)
    where = _withdraw(client, db, entrance.id)
    record = db.scalars(select(AuditRecord).where(AuditRecord.action == "consent.withdrawn")).one()
    record.data = {k: v for k, v in record.data.items() if k != "visits_counted"}  # as written then
    db.commit()
    page = client.get(where).get_data(as_text=True)
    assert "Any fitting visit that was booked for this entrance has been cancelled." in page
    assert NOTHING_BOOKED not in page
    danish = isolated_client(app)
    sign_in_staff(danish, org.user)
    assert "Et eventuelt booket monteringsbesøg" in danish.get(where).get_data(as_text=True)
