"""Every route of the foundation for every role: the expected status, and nobody sees more."""

import pytest

from tests.web.support import ROLES, client_for, make_world

STAFF = ("coordinator", "locksmith", "provider_admin")


def everyone(status):
    """The same status for every role."""
    return dict.fromkeys(ROLES, status)


def only(roles, status=200, others=403, anonymous=302, **special):
    """`status` for the given roles, 403 for other signed-in roles, a sign-in redirect for
    anonymous visitors; keyword arguments override single roles."""
    expected = {role: status if role in roles else others for role in ROLES}
    expected["anonymous"] = anonymous
    expected.update(special)
    return expected


# (method, path, expected status by role). Order matters: the state-changing rows come last.
MATRIX = [
    ("GET", "/", everyone(200)),
    ("GET", "/healthz", everyone(200)),
    ("GET", "/accessibility", everyone(200)),
    ("GET", "/language/sv?next=/accessibility", everyone(303)),
    ("GET", "/language/xx", everyone(404)),
    ("GET", "/sign-in/staff", everyone(200)),
    ("GET", "/sign-in/owner", everyone(200)),
    ("GET", "/sign-in/citizen", everyone(200)),
    ("GET", "/sign-in/relative", everyone(200)),
    ("GET", "/sign-out", everyone(405)),
    ("GET", "/staff", only(STAFF)),
    ("GET", "/coordinator/citizens", only(["coordinator"])),
    ("GET", "/coordinator/citizens?q=Agnes&page=2", only(["coordinator"])),
    # Staff roles other than coordinators see a citizen only when a feature rule allows it.
    (
        "GET",
        "/coordinator/citizens/{citizen}",
        only(["coordinator"], locksmith=404, provider_admin=404),
    ),
    (
        "GET",
        "/coordinator/citizens/999999",
        only([], coordinator=404, locksmith=404, provider_admin=404),
    ),
    ("GET", "/coordinator/import", only(["coordinator"])),
    ("POST", "/coordinator/import", only(["coordinator"])),  # no file: the form again
    ("GET", "/coordinator/import/{own_batch}", only(["coordinator"])),
    ("GET", "/coordinator/import/{other_batch}", only([], coordinator=404)),
    ("POST", "/coordinator/import/{other_batch}", only([], coordinator=404)),
    ("GET", "/coordinator/import/999999", only([], coordinator=404)),
    ("GET", "/coordinator/import/{own_batch}/result", only(["coordinator"], status=303)),
    ("GET", "/coordinator/import/{other_batch}/result", only([], coordinator=404)),
    # Setup: the reference data and the municipality's texts (coordinators only).
    ("GET", "/coordinator/setup", only(["coordinator"])),
    ("GET", "/coordinator/setup/districts", only(["coordinator"])),
    ("GET", "/coordinator/setup/providers", only(["coordinator"])),
    ("GET", "/coordinator/setup/care-groups", only(["coordinator"])),
    ("GET", "/coordinator/setup/nothing", only([], coordinator=404)),
    ("GET", "/coordinator/setup/districts/new", only(["coordinator"])),
    ("GET", "/coordinator/setup/care-groups/new", only(["coordinator"])),
    ("GET", "/coordinator/setup/districts/{district}", only(["coordinator"])),
    ("GET", "/coordinator/setup/providers/999999", only([], coordinator=404)),
    ("GET", "/coordinator/setup/texts", only(["coordinator"])),
    ("GET", "/coordinator/setup/import", only(["coordinator"])),
    ("GET", "/municipality/logo", everyone(404)),  # none uploaded
    ("POST", "/coordinator/setup/import", only(["coordinator"])),  # no file: the form again
    ("POST", "/coordinator/setup/texts", only(["coordinator"])),  # nothing filled in: the form
    ("POST", "/coordinator/setup/districts/new", only(["coordinator"])),  # no name: the form
    ("POST", "/coordinator/setup/districts/{district}", only(["coordinator"])),  # no name
    ("POST", "/coordinator/setup/import/confirm", only(["coordinator"], status=303)),
    ("POST", "/coordinator/setup/logo", only(["coordinator"], status=303)),  # no file
    ("POST", "/coordinator/setup/districts/999999/active", only([], coordinator=404)),
    # In use by the world's citizens: refused, back to the district's page with the reasons.
    ("POST", "/coordinator/setup/districts/{district}/active", only(["coordinator"], status=303)),
    ("GET", "/citizen/", only(["citizen", "relative"])),
    ("GET", "/owner/", only(["owner"])),
    # Locksmith jobs: a locksmith sees only the jobs assigned to them (another's is a 404).
    ("GET", "/locksmith/", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{own_job}/complete", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{own_job}/fail", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{other_job}/complete", only([], locksmith=404)),
    ("POST", "/locksmith/jobs/{other_job}/fail", only([], locksmith=404)),
    ("GET", "/locksmith/jobs/999999/complete", only([], locksmith=404)),
    ("POST", "/locksmith/jobs/{own_job}/fail", only(["locksmith"])),  # no reason: the form
    ("GET", "/coordinator/jobs", only(["coordinator"])),
    ("GET", "/coordinator/follow-up", only(["coordinator"])),
    (
        "GET",
        "/coordinator/jobs?status=x&kind=%3Cb%3E&locksmith=-1&day=x&page=x",
        only(["coordinator"]),
    ),
    ("GET", "/coordinator/jobs/new", only(["coordinator"])),
    ("POST", "/coordinator/jobs/new", only(["coordinator"])),  # nothing filled in: the form
    ("GET", "/coordinator/jobs/{own_job}", only(["coordinator"])),
    ("GET", "/coordinator/jobs/999999", only([], coordinator=404)),
    ("POST", "/coordinator/jobs/{own_job}/assign", only(["coordinator"])),  # the form again
    ("POST", "/coordinator/jobs/999999/cancel", only([], coordinator=404)),
    ("POST", "/coordinator/import/{own_batch}", only(["coordinator"], status=303)),
    ("POST", "/coordinator/jobs/{other_job}/cancel", only(["coordinator"], status=303)),
    ("POST", "/sign-out", everyone(303)),
]


def _path(template, world):
    return template.format(
        citizen=world.citizen.id,
        district=world.citizen.district_id,
        own_batch=world.own_batch.id,
        other_batch=world.other_batch.id,
        own_job=world.own_job.id,
        other_job=world.other_job.id,
    )


def _with_jobs(db, world):
    """A repair for the world's locksmith today, and one for another locksmith."""
    from portal import clock
    from portal.audit.services import SYSTEM
    from portal.locksmith.services import create_job
    from tests.factories import make_user

    today = clock.now().date()
    stranger = make_user(db, "locksmith")
    for name, smith in (("own_job", world.users["locksmith"]), ("other_job", stranger)):
        job = create_job(
            db,
            "repair",
            now=clock.now(),
            actor=SYSTEM,
            citizen_id=world.citizen.id,
            locksmith_id=smith.id,
            day=today,
        )
        setattr(world, name, job)
    db.commit()
    return world


@pytest.mark.parametrize("role", ROLES)
def test_every_route_gives_the_expected_status_to_every_role(app, db, role):
    world = _with_jobs(db, make_world(db))
    client = client_for(app, world, role)
    wrong = []
    for method, template, expected in MATRIX:
        response = client.open(_path(template, world), method=method)
        if response.status_code != expected[role]:
            wrong.append(f"{method} {template}: {response.status_code}, expected {expected[role]}")
        assert response.status_code != 500
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_the_matrix_covers_every_foundation_route(app):
    foundation = {"accounts", "citizens", "pages", "locksmith", "directory"}
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in foundation or rule.endpoint == "consent.owner_home"
    }
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, template, _ in MATRIX:
        ids = {
            "citizen": 1,
            "district": 1,
            "own_batch": 1,
            "other_batch": 2,
            "own_job": 1,
            "other_job": 2,
        }
        path = template.format(**ids).split("?")[0]
        try:
            covered.add(adapter.match(path, method=method)[0])
        except Exception:  # noqa: BLE001 (404/405 rows name no endpoint)
            continue
    assert routes <= covered, f"routes missing from the matrix: {sorted(routes - covered)}"


def test_anonymous_visitors_are_sent_to_the_right_sign_in_page(client, db):
    world = make_world(db)
    staff = client.get(f"/coordinator/citizens/{world.citizen.id}")
    assert staff.location.startswith("/sign-in/staff?next=/coordinator/citizens/")
    citizen = client.get("/citizen/")
    assert citizen.location.startswith("/sign-in/citizen?next=/citizen/")


@pytest.mark.parametrize("role", ["citizen", "relative"])
def test_a_citizen_sees_only_their_own_data(app, db, role):
    world = make_world(db)
    client = client_for(app, world, role)
    page = client.get("/citizen/").get_data(as_text=True)
    assert "Agnes Egen" in page and "Egenvej 1" in page
    assert "Bodil Fremmed" not in page and "Fremmedvej" not in page
    # Staff pages about any citizen stay closed, whoever it is about.
    for citizen in (world.citizen, world.other_citizen):
        assert client.get(f"/coordinator/citizens/{citizen.id}").status_code == 403


def test_owners_see_only_their_own_organisations_buildings(app, db):
    world = make_world(db)
    page = client_for(app, world, "owner").get("/owner/").get_data(as_text=True)
    assert world.own_property.address in page and "Egen Bolig" in page
    assert world.other_property.address not in page and "Anden A/S" not in page


def test_an_owner_without_an_organisation_sees_an_empty_page(client, db):
    from tests.factories import make_user
    from tests.helpers import sign_in_staff

    world = make_world(db)
    lonely = make_user(db, "owner")
    db.commit()
    sign_in_staff(client, lonely)
    response = client.get("/owner/")
    assert response.status_code == 200
    assert world.own_property.address not in response.get_data(as_text=True)


def test_a_coordinator_cannot_preview_another_coordinators_import(app, db):
    world = make_world(db)
    client = client_for(app, world, "coordinator")
    assert client.get(f"/coordinator/import/{world.other_batch.id}").status_code == 404
    assert client.post(f"/coordinator/import/{world.other_batch.id}").status_code == 404
    db.refresh(world.other_batch)
    assert world.other_batch.status == "previewed"
