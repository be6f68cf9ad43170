"""Registering a key finds the citizen by the care system's id or by name, only among the
provider's own citizens; several matches are listed to pick from; the coordinator's empty list
of cabinets says who adds them."""

import pytest

from portal.audit.services import SYSTEM
from portal.changes import keycabinet
from portal.changes.keycabinet_models import CabinetKey
from tests.factories import NOW, make_citizen, make_provider, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def world(db, clock):
    own, other = make_provider(db, name="Hjemmeplejen Nord"), make_provider(db, name="Plejen Syd")
    people = {
        "bodil": make_citizen(db, provider=own, name="Bodil Madsen", external_id="DEMO-0191"),
        "bent": make_citizen(db, provider=own, name="Bent Madsen"),
        "olga": make_citizen(db, provider=own, name="Olga O'Brien"),
        "stranger": make_citizen(db, provider=other, name="Bodil Fremmed", external_id="DEMO-9"),
    }
    cabinet = keycabinet.create_cabinet(db, own.id, "Skab 1", "Kontoret", now=NOW, actor=SYSTEM)
    admin = make_user(db, "provider_admin", provider_id=own.id)
    db.commit()
    return cabinet, admin, people


def _post(client, cabinet, citizen, kind="day", tag="17"):
    return client.post(
        f"/key-cabinets/{cabinet.id}/keys/new", data={"citizen": citizen, "kind": kind, "tag": tag}
    )


def _held(db, citizen):
    db.expire_all()
    return db.query(CabinetKey).filter_by(citizen_id=citizen.id).count()


def test_the_form_says_what_to_type(db, client, world):
    cabinet, admin, _people = world
    sign_in_staff(client, admin)
    page = client.get(f"/key-cabinets/{cabinet.id}/keys/new").get_data(as_text=True)
    assert "or their name" in page and 'aria-describedby="citizen-hint' in page


@pytest.mark.parametrize("typed", ["DEMO-0191", "  bodil  ", "BODIL madsen"])
def test_by_care_system_id_or_by_a_name_with_one_match(db, client, world, typed):
    cabinet, admin, people = world
    sign_in_staff(client, admin)
    response = _post(client, cabinet, typed)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert _held(db, people["bodil"]) == 1 and _held(db, people["stranger"]) == 0


def test_a_name_with_several_matches_lists_them_to_pick(db, client, world):
    cabinet, admin, people = world
    sign_in_staff(client, admin)
    listed = _post(client, cabinet, "Madsen", kind="night", tag="N-4")
    body = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "2 citizens match" in body
    assert body.index("Bent Madsen") < body.index("Bodil Madsen")
    assert 'name="kind" value="night"' in body and 'name="tag" value="N-4"' in body
    assert "Fremmed" not in body and _held(db, people["bent"]) == 0
    picked = _post(client, cabinet, people["bent"].external_id, kind="night", tag="N-4")
    assert picked.status_code == 303
    assert _held(db, people["bent"]) == 1 and _held(db, people["bodil"]) == 0


@pytest.mark.parametrize(
    "typed",
    [
        "Nobody Here",
        "DEMO-9",  # another provider's citizen, by id
        "Fremmed",  # ... and by name
        "'",
        "%",
        "_",
        "...",
        "\\",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "🙂",
    ],
)
def test_no_match_says_so_and_registers_nothing(db, client, world, typed):
    cabinet, admin, people = world
    sign_in_staff(client, admin)
    response = _post(client, cabinet, typed)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "None of your provider&#39;s citizens has this id or name" in body
    assert "<script>alert(1)</script>" not in body
    assert db.query(CabinetKey).count() == 0


def test_the_coordinators_empty_list_says_who_adds_cabinets(db, client, clock):
    make_provider(db, name="Plejen Øst")
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    body = client.get("/key-cabinets").get_data(as_text=True)
    assert "No provider has added a key cabinet yet." in body
    assert "administrators add and keep their own cabinets" in body
    assert "Providers without a key cabinet:" in body and "Plejen Øst" in body
