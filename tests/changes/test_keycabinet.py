"""The key cabinet: storing, handing out, putting back and returning keys, who may do what,
and the removal job that returns the keys."""

import pytest
from flask import current_app
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.changes import keycabinet, keycabinet_queries
from portal.changes import keycabinet_handback as handback
from portal.changes.keycabinet_models import CabinetKey
from portal.locksmith import change_completion as cc
from portal.locksmith.registry import keys_held
from tests.booking.support import TZ
from tests.factories import make_citizen, make_provider, make_user
from tests.helpers import sign_in_staff
from tests.locksmith.change_support import fitted, leave, planned_today


def _tz():
    return current_app.config["TIMEZONE"]


def _cabinet(db, provider, name="Skab A"):
    cabinet = keycabinet.create_cabinet(
        db, provider.id, name, "Kontoret, rum 2", now=clock.now(), actor=SYSTEM
    )
    db.commit()
    return cabinet


def _store(db, cabinet, citizen, kind="day"):
    key = keycabinet.store_key(
        db,
        cabinet,
        external_id=citizen.external_id,
        kind=kind,
        tag="T-1",
        now=clock.now(),
        actor=SYSTEM,
        tz=_tz(),
    )
    db.commit()
    return key


def _act(db, key, action, person="Pia Plejer"):
    return keycabinet.act(db, key, action, person=person, now=clock.now(), actor=SYSTEM)


def test_every_transition_is_logged_with_who_and_when(db):
    provider = make_provider(db)
    citizen = make_citizen(db, provider=provider)
    key = _store(db, _cabinet(db, provider), citizen)
    _act(db, key, "hand_out")
    assert key.status == "handed_out" and key.holder == "Pia Plejer"
    _act(db, key, "put_back", person="Pia Plejer")
    assert key.status == "in_cabinet" and key.holder is None
    with pytest.raises(keycabinet.KeyStateError):  # the hand-back is its own step
        _act(db, key, "return_to_citizen", person="Citizen selv")
    handback.hand_back(
        db,
        key,
        recipient="citizen",
        person="Citizen selv",
        received_on=clock.now().date(),
        now=clock.now(),
        actor=SYSTEM,
        tz="UTC",
    )
    assert key.status == "returned"
    log = [(e.action, e.person) for e in keycabinet_queries.events(db, key.id)]
    assert log == [
        ("return_to_citizen", "Citizen selv"),
        ("put_back", "Pia Plejer"),
        ("hand_out", "Pia Plejer"),
        ("stored", None),
    ]
    audited = set(
        db.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(key.id)))
    )
    assert {"cabinet_key.stored", "cabinet_key.hand_out", "cabinet_key.return_to_citizen"} <= (
        audited
    )
    for action in keycabinet.RULES:
        with pytest.raises(keycabinet.KeyStateError):
            _act(db, key, action)


def test_refusals(db):
    provider, other = make_provider(db), make_provider(db)
    citizen = make_citizen(db, provider=provider)
    cabinet = _cabinet(db, provider)
    with pytest.raises(keycabinet.CabinetNameTaken):
        _cabinet(db, provider)
    _cabinet(db, other)  # the same name at another provider is fine
    with pytest.raises(keycabinet.CitizenNotServed):
        _store(db, _cabinet(db, other, "B"), citizen)
    with pytest.raises(keycabinet.CitizenNotServed):
        keycabinet.store_key(
            db,
            cabinet,
            external_id="nobody",
            kind="day",
            tag="1",
            now=clock.now(),
            actor=SYSTEM,
            tz=_tz(),
        )
    key = _store(db, cabinet, citizen)
    with pytest.raises(keycabinet.KeyAlreadyHeld):
        _store(db, cabinet, citizen)
    _store(db, cabinet, citizen, kind="night")
    with pytest.raises(keycabinet.PersonMissing):
        _act(db, key, "hand_out", person="   ")
    with pytest.raises(keycabinet.KeyStateError):
        _act(db, key, "put_back")
    with pytest.raises(keycabinet.KeyStateError):
        _act(db, key, "steal")


def test_the_removal_job_asks_for_the_keys_and_returns_them(db):
    provider = make_provider(db)
    citizen, _unit = fitted(db, provider=provider)
    cabinet = _cabinet(db, provider)
    day, night = _store(db, cabinet, citizen), _store(db, cabinet, citizen, "night")
    _act(db, night, "hand_out", person="Nattevagt")
    held = keys_held(db, citizen.id)
    assert {k.kind for k in held} == {"day", "night"}
    assert {k.where for k in held} == {"Skab A", "Nattevagt"}
    job = leave(db, citizen, "deceased", estate_contact="Boet v/ Kim")
    smith = planned_today(db, job)
    assert "keys_returned" in cc.checklist_for(db, job)
    cc.complete_change(
        db,
        job.id,
        locksmith_id=smith.id,
        checklist=set(cc.checklist_for(db, job)),
        signed_by="Kim Arving",
        now=clock.now(),
        actor=smith.actor,
        tz=TZ,
    )
    db.commit()
    db.expire_all()
    assert {day.status, night.status} == {"returned"}
    assert keycabinet_queries.events(db, day.id)[0].person == "Kim Arving"
    assert keys_held(db, citizen.id) == []


def _admin(db, provider):
    return make_user(db, "provider_admin", provider_id=provider.id)


def test_provider_admins_see_and_manage_only_their_own_cabinet(db, client):
    own, other = make_provider(db), make_provider(db)
    citizen = make_citizen(db, provider=own, name="Egen Borger")
    stranger = make_citizen(db, provider=other, name="Fremmed Borger")
    mine, theirs = _cabinet(db, own, "Mit skab"), _cabinet(db, other, "Deres skab")
    my_key, their_key = _store(db, mine, citizen), _store(db, theirs, stranger)
    sign_in_staff(client, _admin(db, own))
    db.commit()
    listing = client.get("/key-cabinets").get_data(as_text=True)
    assert "Mit skab" in listing and "Deres skab" not in listing
    assert client.get(f"/key-cabinets/{mine.id}").status_code == 200
    for url in (
        f"/key-cabinets/{theirs.id}",
        f"/key-cabinets/keys/{their_key.id}",
        f"/key-cabinets/{theirs.id}/keys/new",
        "/key-cabinets/999999",
    ):
        assert client.get(url).status_code == 404, url
    data = {"person": "Pia"}
    assert client.post(f"/key-cabinets/keys/{their_key.id}/hand_out", data=data).status_code == 404
    assert client.post(f"/key-cabinets/keys/{my_key.id}/steal", data=data).status_code == 404
    assert client.post(f"/key-cabinets/keys/{my_key.id}/hand_out", data=data).status_code == 303
    db.expire_all()
    assert db.get(CabinetKey, my_key.id).status == "handed_out"
    assert db.get(CabinetKey, their_key.id).status == "in_cabinet"


def test_coordinators_read_every_cabinet_but_change_nothing(db, client):
    provider = make_provider(db)
    citizen = make_citizen(db, provider=provider)
    cabinet = _cabinet(db, provider, "Skab Ø")
    key = _store(db, cabinet, citizen)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    assert "Skab Ø" in client.get("/key-cabinets").get_data(as_text=True)
    page = client.get(f"/key-cabinets/keys/{key.id}").get_data(as_text=True)
    assert citizen.name in page and "hand_out" not in page
    assert (
        client.post(f"/key-cabinets/keys/{key.id}/hand_out", data={"person": "x"}).status_code
        == 403
    )
    assert client.get("/key-cabinets/new").status_code == 403


def test_forms_keep_what_was_typed_and_say_what_is_wrong(db, client):
    provider = make_provider(db)
    citizen = make_citizen(db, provider=provider)
    admin = _admin(db, provider)
    cabinet = _cabinet(db, provider)
    sign_in_staff(client, admin)
    db.commit()
    empty = client.post("/key-cabinets/new", data={"name": "", "location": "x" * 201})
    assert (
        empty.status_code == 200 and empty.get_data(as_text=True).count('aria-invalid="true"') == 2
    )
    taken = client.post("/key-cabinets/new", data={"name": "Skab A", "location": "Her"})
    assert taken.status_code == 200 and 'value="Skab A"' in taken.get_data(as_text=True)
    made = client.post("/key-cabinets/new", data={"name": "Skab <b>B</b>", "location": "=1+2"})
    assert made.status_code == 303
    assert "&lt;b&gt;" in client.get(made.location).get_data(as_text=True)
    url = f"/key-cabinets/{cabinet.id}/keys/new"
    wrong = client.post(url, data={"citizen": "EXT-nope", "kind": "dag", "tag": "7"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and 'value="EXT-nope"' in body and 'value="7"' in body
    ok = client.post(url, data={"citizen": citizen.external_id, "kind": "day", "tag": "7"})
    assert ok.status_code == 303
    key_id = int(ok.location.rsplit("/", 1)[1])
    blank = client.post(f"/key-cabinets/keys/{key_id}/hand_out", data={"person": "  "})
    assert blank.status_code == 200 and 'aria-invalid="true"' in blank.get_data(as_text=True)
    assert (
        client.post(f"/key-cabinets/keys/{key_id}/put_back", data={"person": "A"}).status_code
        == 303
    )
    db.expire_all()
    assert db.get(CabinetKey, key_id).status == "in_cabinet"  # refused: it was not out


def test_wrong_ids_are_404_for_everyone(db, client):
    sign_in_staff(client, _admin(db, make_provider(db)))
    db.commit()
    for url in (
        "/key-cabinets/abc",
        "/key-cabinets/-1",
        "/key-cabinets/keys/0",
        "/key-cabinets/keys/x",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post("/key-cabinets/keys/999999/hand_out", data={"person": "A"}).status_code == 404
    )
    assert client.post("/key-cabinets/999999/keys/new").status_code == 404


def test_the_coordinators_citizen_page_lists_the_keys_held(db, client):
    provider = make_provider(db)
    citizen = make_citizen(db, provider=provider)
    key = _store(db, _cabinet(db, provider, "Skab Nord"), citizen, kind="night")
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    page = client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)
    assert f"/key-cabinets/keys/{key.id}" in page and "Skab Nord" in page


def test_after_a_provider_switch_the_old_provider_moves_the_key_to_the_new_ones_cabinet(db, client):

    from portal.directory.services import assign_provider
    from tests.locksmith.change_support import today

    old, new, stranger = make_provider(db), make_provider(db), make_provider(db)
    citizen = make_citizen(db, provider=old)
    key = _store(db, _cabinet(db, old, "Gammelt skab"), citizen)
    target, elsewhere = _cabinet(db, new, "Nyt skab"), _cabinet(db, stranger, "Fremmed skab")
    assert [c.id for c in keycabinet.move_choices(db, key, now=clock.now(), tz=_tz())] == []
    assign_provider(db, citizen.id, new.id, None, today(), now=clock.now(), actor=SYSTEM)
    db.commit()
    choices = keycabinet.move_choices(db, key, now=clock.now(), tz=_tz())
    assert [c.id for c in choices] == [target.id]
    with pytest.raises(keycabinet.WrongCabinet):
        keycabinet.move_key(
            db, key, elsewhere.id, person="A", now=clock.now(), actor=SYSTEM, tz=_tz()
        )
    sign_in_staff(client, _admin(db, old))
    db.commit()
    page = client.get(f"/key-cabinets/keys/{key.id}").get_data(as_text=True)
    assert "Nyt skab" in page and "Fremmed skab" not in page
    url = f"/key-cabinets/keys/{key.id}/move"
    wrong = client.post(url, data={"move-cabinet": str(elsewhere.id), "move-person": "Pia"})
    assert wrong.status_code == 200 and 'value="Pia"' in wrong.get_data(as_text=True)
    blank = client.post(url, data={"move-cabinet": "x", "move-person": ""})
    assert blank.status_code == 200
    moved = client.post(url, data={"move-cabinet": str(target.id), "move-person": "Pia Plejer"})
    assert moved.status_code == 303 and moved.location.endswith("/key-cabinets")
    db.expire_all()
    assert db.get(CabinetKey, key.id).cabinet_id == target.id
    assert client.get(f"/key-cabinets/keys/{key.id}").status_code == 404  # the new provider's
    assert keycabinet_queries.events(db, key.id)[0].note == "Gammelt skab -> Nyt skab"


def _at_once(db, key, first, second):
    """Two browsers read the key before either acts; `first` is saved before `second` runs."""
    from sqlalchemy.orm import Session

    from portal.extensions import db as _db

    with Session(_db.engine) as one, Session(_db.engine) as two:
        mine, theirs = one.get(CabinetKey, key.id), two.get(CabinetKey, key.id)
        first(one, mine)
        one.commit()
        with pytest.raises(keycabinet.KeyStateError):
            second(two, theirs)
        two.rollback()
    db.expire_all()
    return db.get(CabinetKey, key.id)


def test_of_two_hand_outs_at_once_one_wins_and_one_is_logged(db):
    """Both were saved before (each read 'in the cabinet'): the log showed the key handed out
    twice, to two people, and the holder was whoever came last."""
    provider = make_provider(db)
    key = _store(db, _cabinet(db, provider), make_citizen(db, provider=provider))

    def hand_out(person):
        return lambda s, k: keycabinet.act(
            s, k, "hand_out", person=person, now=clock.now(), actor=SYSTEM
        )

    after = _at_once(db, key, hand_out("Pia Plejer"), hand_out("Ole Olsen"))
    assert after.status == "handed_out" and after.holder == "Pia Plejer"
    assert [e.action for e in keycabinet_queries.events(db, key.id)].count("hand_out") == 1


def test_a_key_handed_out_while_it_was_being_moved_stays_where_it_is(db):
    provider = make_provider(db)
    citizen = make_citizen(db, provider=provider)
    first, other = _cabinet(db, provider), _cabinet(db, provider, name="Skab B")
    key = _store(db, first, citizen)

    def hand_out(s, k):
        keycabinet.act(s, k, "hand_out", person="Pia Plejer", now=clock.now(), actor=SYSTEM)

    def move(s, k):
        keycabinet.move_key(
            s, k, other.id, person="Ole Olsen", now=clock.now(), actor=SYSTEM, tz=_tz()
        )

    after = _at_once(db, key, hand_out, move)
    assert after.cabinet_id == first.id and after.status == "handed_out"
