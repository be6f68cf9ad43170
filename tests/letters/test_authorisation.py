"""Nobody but the citizen (or their relative) and coordinators can fetch a citizen's letter."""

import pytest

from portal.extensions import db as _db
from portal.letters import booking_letter, services
from tests.letters.support import make_appointment, make_finished_batch
from tests.web.support import ROLES, client_for, make_world

PDF = b"%PDF-1.7\n% rendering is not what these tests are about\n"
# Letters carry the personal code: other staff get 403 even when they may see the citizen.
OWN_LETTER = {
    "anonymous": 302,
    "citizen": 200,
    "relative": 200,
    "owner": 403,
    "coordinator": 200,
    "locksmith": 403,
    "provider_admin": 403,
    "partner_admin": 403,
}
OTHERS_LETTER = {**OWN_LETTER, "citizen": 404, "relative": 404}
COORDINATOR_ONLY = {role: 403 for role in ROLES} | {"anonymous": 302, "coordinator": 200}


@pytest.fixture
def world(app, tmp_path, monkeypatch):
    """Citizens, staff of every role, an appointment and a finished batch; no real rendering.

    Built in its own app context and returned detached: requests made while a test holds an
    app context share `g`, and Flask-Login would carry one client's user into the next."""
    monkeypatch.setattr(services, "information_letter_pdf", lambda *a, **k: PDF)
    monkeypatch.setattr(booking_letter, "booking_confirmation_pdf", lambda *a, **k: PDF)
    with app.app_context():
        session = _db.session
        w = make_world(session)
        w.extra = {
            "appointment": make_appointment(session, w.citizen),
            "other_appointment": make_appointment(session, w.other_citizen, "Lene Låsesmed"),
        }
        w.extra["batch"], w.extra["letter"] = make_finished_batch(
            session, w.other_citizen, tmp_path / "b"
        )
        session.commit()
        for obj in [w.citizen, w.other_citizen, *w.users.values(), *w.extra.values()]:
            session.refresh(obj)
        session.expunge_all()
    return w


def _paths(w):
    batch = f"/coordinator/letters/batches/{w.extra['batch'].id}"
    return [
        (f"/citizen/letters/{w.citizen.id}/information.pdf", OWN_LETTER),
        (f"/citizen/letters/{w.other_citizen.id}/information.pdf", OTHERS_LETTER),
        (f"/citizen/booking/{w.extra['appointment'].id}/confirmation.pdf", OWN_LETTER),
        (f"/citizen/booking/{w.extra['other_appointment'].id}/confirmation.pdf", OTHERS_LETTER),
        ("/coordinator/letters", COORDINATOR_ONLY),
        (f"/coordinator/letters/preview/{w.citizen.id}", COORDINATOR_ONLY),
        (f"/coordinator/letters/preview/{w.citizen.id}.pdf", COORDINATOR_ONLY),
        (batch, COORDINATOR_ONLY),
        (batch + "/letters", COORDINATOR_ONLY),
        (batch + "/merged.pdf", COORDINATOR_ONLY),
        (batch + "/manifest.csv", COORDINATOR_ONLY),
        (f"/coordinator/letters/files/{w.extra['letter'].id}.pdf", COORDINATOR_ONLY),
    ]


def test_who_may_fetch_letters(app, world):
    for role in ROLES:  # one world for every role keeps this quick
        _check_role(app, world, role)


def _check_role(app, world, role):
    client = client_for(app, world, role)
    for path, expected in _paths(world):
        response = client.get(path)
        assert response.status_code == expected[role], (role, path)
        if response.status_code == 200 and path.endswith(".pdf"):
            assert response.mimetype == "application/pdf"
            assert response.headers["Cache-Control"].startswith("no-store")
        if role == "anonymous" and path.startswith("/citizen/"):
            assert "/sign-in/citizen" in response.headers["Location"]


def test_only_coordinators_change_batches(app, world):
    batch = f"/coordinator/letters/batches/{world.extra['batch'].id}"
    for role in ("citizen", "relative", "locksmith", "provider_admin", "owner", "anonymous"):
        client = client_for(app, world, role)
        expected = 302 if role == "anonymous" else 403
        for action in ("/cancel", "/resume", "/posted"):
            assert client.post(batch + action).status_code == expected, (role, action)
        assert client.post("/coordinator/letters/batches", data={}).status_code == expected
        path = f"/coordinator/citizens/{world.citizen.id}/letters/posted"
        assert client.post(path).status_code == expected


def test_missing_things_are_404_for_coordinators(app, world):
    client = client_for(app, world, "coordinator")
    for path in (
        "/citizen/letters/999999/information.pdf",
        "/citizen/booking/999999/confirmation.pdf",
        "/coordinator/letters/batches/999999",
        "/coordinator/letters/files/999999.pdf",
    ):
        assert client.get(path).status_code == 404, path
