"""Through the test client: the follow-up queue lists failed jobs of every kind in Danish and
Swedish and lets the coordinator act on them; every card of the locksmith's day shows whom to
call; a locksmith sees only their own jobs and a provider admin no follow-up queue."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.locksmith import queries
from portal.locksmith.models import Job, JobKind
from tests.conftest import isolated_client
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.locksmith.follow_up_support import (
    CITIZEN_PHONE,
    RELATIVE_PHONE,
    failed_jobs,
    planned_jobs,
)

KINDS = {
    "da": ("Montering", "Enhed ved opgang", "Flytning", "Nedtagning", "Batteriskift", "Reparation"),
    "sv": ("Montering", "Enhet vid entré", "Flytt", "Nedmontering", "Batteribyte", "Reparation"),
}
NOBODY_HOME = {"da": "Der var ingen hjemme", "sv": "Ingen var hemma"}


def _client(app, db, role, lang="da", user=None):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    user = user or make_user(db, role)
    db.commit()
    sign_in_staff(client, user)
    return client


def _row(html: str, job_id: int) -> str:
    match = re.search(rf'<tr id="follow-up-{job_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"job {job_id} is not in the follow-up list"
    return match.group(1)


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_queue_lists_failed_jobs_of_every_kind(app, db, lang):
    place = failed_jobs(db)
    html = _client(app, db, "coordinator", lang).get("/coordinator/follow-up").get_data(True)
    for kind, label in zip(JobKind, KINDS[lang], strict=True):
        row = _row(html, place.jobs[str(kind)].id)
        assert label in row and NOBODY_HOME[lang] in row
        if kind != JobKind.ENTRANCE_UNIT:  # an entrance has no citizen
            assert "Karen Hansen" in row and f'href="tel:{CITIZEN_PHONE}"' in row
    count = {"da": "6 opgaver skal følges op.", "sv": "6 uppdrag behöver följas upp."}
    assert count[lang] in html


def test_each_job_has_its_buttons_once(app, db):
    """One table, turned into cards on a phone by CSS: before, the rows were there twice (a
    table and a card list, one copy hidden), each with its own pair of forms."""
    place = failed_jobs(db)
    html = _client(app, db, "coordinator").get("/coordinator/follow-up").get_data(True)
    for kind, job in place.jobs.items():
        once = 0 if kind == JobKind.FITTING else 1  # a fitting is booked again from the schedule
        for action in ("new-job", "handled"):
            assert html.count(f'action="/coordinator/follow-up/{job.id}/{action}"') == once
        assert html.count(f'id="follow-up-{job.id}"') == 1


def test_a_new_job_from_the_queue_is_made_and_audited(app, db):
    place = failed_jobs(db, kinds=(JobKind.REPAIR,))
    failed = place.jobs["repair"]
    client = _client(app, db, "coordinator")
    response = client.post(f"/coordinator/follow-up/{failed.id}/new-job")
    assert response.status_code == 303
    new = db.scalar(select(Job).where(Job.id != failed.id))
    assert response.headers["Location"].endswith(f"/coordinator/jobs/{new.id}")
    assert (new.kind, new.status, new.lock_unit_id) == ("repair", "open", failed.lock_unit_id)
    assert queries.follow_up(db) == []
    assert client.post(f"/coordinator/follow-up/{failed.id}/new-job").status_code == 303
    assert db.scalar(select(Job).where(Job.id > new.id)) is None  # not twice


def test_marking_handled_from_the_queue_is_audited(app, db):
    place = failed_jobs(db, kinds=(JobKind.BATTERY,))
    failed = place.jobs["battery"]
    client = _client(app, db, "coordinator")
    response = client.post(f"/coordinator/follow-up/{failed.id}/handled")
    assert response.status_code == 303 and response.headers["Location"].endswith("/follow-up")
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "job_followed_up"))
    assert audit.object_id == str(failed.id) and audit.actor.startswith("user:")
    assert f"follow-up-{failed.id}" not in client.get("/coordinator/follow-up").get_data(True)


@pytest.mark.parametrize("role", ["provider_admin", "locksmith"])
def test_only_a_coordinator_has_the_follow_up_queue(app, db, role):
    place = failed_jobs(db, kinds=(JobKind.REPAIR,))
    client = _client(app, db, role)
    assert client.get("/coordinator/follow-up").status_code == 403
    job_id = place.jobs["repair"].id
    for action in ("new-job", "handled"):
        assert client.post(f"/coordinator/follow-up/{job_id}/{action}").status_code == 403
    assert queries.follow_up(db)  # still waiting


def test_every_card_of_the_day_shows_whom_to_call(app, db):
    place = planned_jobs(db)
    html = _client(app, db, "locksmith", user=place.smith).get("/locksmith/").get_data(True)
    for kind, job in place.jobs.items():
        card = re.search(rf'<li class="card mt-4" id="job-{job.id}">(.*?)</li>', html, re.S)
        assert card, kind
        if kind == JobKind.ENTRANCE_UNIT:
            continue
        text = card.group(1)
        assert f'href="tel:{CITIZEN_PHONE}"' in text and "20 12 34 56" in text, kind
        assert f'href="tel:{RELATIVE_PHONE}"' in text and "Søren Hansen" in text, kind
        assert "Borgerens telefon" in text, kind


def test_a_locksmith_sees_only_their_own_jobs_and_phones(app, db):
    place = planned_jobs(db, kinds=(JobKind.BATTERY,))
    other = _client(app, db, "locksmith")
    html = other.get("/locksmith/").get_data(True)
    assert f'id="job-{place.jobs["battery"].id}"' not in html
    assert CITIZEN_PHONE not in html and "Karen Hansen" not in html
