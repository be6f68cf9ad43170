"""The change routes for every role: a citizen sees only their own requests, a provider admin
only its own notices, coordinators the queue; every route of the feature is in the matrix."""

from datetime import date

import pytest

from portal.changes.models import ChangeDocument, ChangeRequest, ProviderNotice
from tests.factories import NOW
from tests.test_authorisation_matrix import only
from tests.web.support import ROLES, client_for, make_world

CITIZENS = ["citizen", "relative"]

MATRIX = [
    ("GET", "/citizen/changes/", only(CITIZENS)),
    # The world's citizen has a request open: a new one is explained on the start page.
    ("GET", "/citizen/changes/switch/provider", only(CITIZENS, status=303)),
    ("GET", "/citizen/changes/move/inside", only(CITIZENS, status=303)),
    # ... but a relative may still report a death, which replaces the open end of care.
    ("GET", "/citizen/changes/leave/reason", only(CITIZENS, status=303, relative=200)),
    ("GET", "/citizen/changes/nonsense/provider", only([], citizen=404, relative=404)),
    ("GET", "/citizen/changes/switch/check", only(CITIZENS, status=303)),
    ("POST", "/citizen/changes/switch/check", only(CITIZENS, status=303)),
    ("GET", "/citizen/changes/r/{own_ref}", only(CITIZENS)),
    ("GET", "/citizen/changes/r/{other_ref}", only([], citizen=404, relative=404)),
    ("GET", "/citizen/changes/r/{other_ref}/withdraw", only([], citizen=404, relative=404)),
    ("POST", "/citizen/changes/r/{other_ref}/withdraw", only([], citizen=404, relative=404)),
    ("GET", "/citizen/changes/r/{own_ref}/withdraw", only(CITIZENS)),  # the confirmation
    ("POST", "/citizen/changes/r/{other_ref}/answer", only([], citizen=404, relative=404)),
    ("POST", "/citizen/changes/r/{other_ref}/documents", only([], citizen=404, relative=404)),
    ("POST", "/citizen/changes/r/{own_ref}/answer", only(CITIZENS)),  # empty: the page
    ("POST", "/citizen/changes/r/{own_ref}/documents", only(CITIZENS)),  # no file: the page
    ("GET", "/coordinator/changes", only(["coordinator"])),
    ("GET", "/coordinator/changes?kind=x&status=%3Cb%3E&district=-1&page=x", only(["coordinator"])),
    ("GET", "/coordinator/changes/{own_req}", only(["coordinator"])),
    ("GET", "/coordinator/changes/999999", only([], coordinator=404)),
    ("POST", "/coordinator/changes/{own_req}/ask", only(["coordinator"])),  # empty: the form
    ("POST", "/coordinator/changes/{own_req}/refuse", only(["coordinator"])),
    ("POST", "/coordinator/changes/{own_req}/approve", only(["coordinator"])),
    ("POST", "/coordinator/changes/{own_req}/documents", only(["coordinator"])),
    # Only an approved change is cancelled; the world's request is pending: back to its page.
    ("GET", "/coordinator/changes/{own_req}/cancel", only(["coordinator"], status=303)),
    ("POST", "/coordinator/changes/{own_req}/cancel", only(["coordinator"], status=303)),
    ("GET", "/coordinator/changes/999999/cancel", only([], coordinator=404)),
    ("GET", "/coordinator/changes/documents/{doc}", only(["coordinator"])),
    ("GET", "/coordinator/changes/documents/999999", only([], coordinator=404)),
    ("GET", "/coordinator/citizens/{citizen}/changes/switch", only(["coordinator"])),
    ("POST", "/coordinator/citizens/{citizen}/changes/leave", only(["coordinator"])),
    ("GET", "/coordinator/citizens/999999/changes/move", only([], coordinator=404)),
    ("GET", "/provider/notices", only(["provider_admin"])),
    # Without the confirmation's "yes": the confirmation page, nothing withdrawn.
    ("POST", "/citizen/changes/r/{own_ref}/withdraw", only(CITIZENS)),
]


def _request(db, citizen, ref):
    req = ChangeRequest(
        reference=ref,
        citizen_id=citizen.id,
        kind="leave",
        status="pending",
        source="citizen",
        requested_by="citizen",
        effective_on=date(2026, 12, 1),
        reason="care_ended",
        created_at=NOW,
    )
    db.add(req)
    db.flush()
    return req


def _world(db):
    world = make_world(db)
    world.own = _request(db, world.citizen, "OWN-111")
    world.other = _request(db, world.other_citizen, "OTH-222")
    world.doc = ChangeDocument(
        request_id=world.other.id,
        filename="a.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        data=b"%PDF-",
        uploaded_by="x",
        created_at=NOW,
    )
    db.add(world.doc)
    db.commit()
    return world


def _path(template, world):
    return template.format(
        citizen=world.citizen.id,
        own_ref=world.own.reference,
        other_ref=world.other.reference,
        own_req=world.own.id,
        doc=world.doc.id,
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_change_route_gives_the_expected_status_to_every_role(app, db, role):
    world = _world(db)
    client = client_for(app, world, role)
    wrong = []
    for method, template, expected in MATRIX:
        response = client.open(_path(template, world), method=method)
        if response.status_code != expected[role]:
            wrong.append(f"{method} {template}: {response.status_code}, expected {expected[role]}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_the_matrix_covers_every_change_route(app):
    # The key cabinet's routes are in tests/test_authorisation_matrix.py.
    routes = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("changes.")
        and not app.view_functions[r.endpoint].__module__.startswith("portal.changes.keycabinet")
    }
    adapter = app.url_map.bind("localhost")
    covered = set()
    ids = {"citizen": 1, "own_ref": "A", "other_ref": "B", "own_req": 1, "doc": 1}
    for method, template, _expected in MATRIX:
        try:
            covered.add(adapter.match(template.format(**ids).split("?")[0], method=method)[0])
        except Exception:  # noqa: BLE001, S112 (404 rows name no endpoint)
            continue
    assert routes <= covered, f"routes missing from the matrix: {sorted(routes - covered)}"


def test_a_provider_admin_sees_only_its_own_providers_notices(app, db):
    world = _world(db)
    admin = world.users["provider_admin"]
    from tests.factories import make_provider

    elsewhere = make_provider(db)
    for provider_id, citizen in (
        (admin.provider_id, world.citizen),
        (elsewhere.id, world.other_citizen),
    ):
        db.add(
            ProviderNotice(
                provider_id=provider_id,
                request_id=world.own.id,
                citizen_id=citizen.id,
                role="gaining",
                effective_on=date(2026, 12, 1),
                created_at=NOW,
            )
        )
    db.commit()
    page = client_for(app, world, "provider_admin").get("/provider/notices").get_data(as_text=True)
    assert "Agnes Egen" in page and "Bodil Fremmed" not in page
