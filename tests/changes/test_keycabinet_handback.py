"""Handing a key back for good: its own confirmed step that records who received it (not the
staff member who had it out), the page that says the key has left the cabinet, the receipt,
and a coordinator's correction of a mistaken hand-back."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.changes import keycabinet, keycabinet_queries
from portal.changes import keycabinet_handback as handback
from portal.changes.keycabinet_models import CabinetKey
from portal.locksmith.registry import keys_held
from tests.factories import NOW, make_citizen, make_provider, make_user
from tests.helpers import sign_in_staff

TZ = "Europe/Copenhagen"
TODAY = date(2026, 11, 23)  # NOW in Copenhagen


def _key(db, provider=None, kind="day"):
    provider = provider or make_provider(db)
    citizen = make_citizen(db, provider=provider, name="Bodil Madsen")
    cabinet = keycabinet.create_cabinet(
        db, provider.id, "Skab 1", "Kontoret", now=NOW, actor=SYSTEM
    )
    key = keycabinet.store_key(
        db,
        cabinet,
        external_id=citizen.external_id,
        kind=kind,
        tag="17",
        now=NOW,
        actor=SYSTEM,
        tz=TZ,
    )
    db.commit()
    return key


def _hand_back(db, key, person="Kim Arving", recipient="estate", on=TODAY, now=NOW):
    return handback.hand_back(
        db, key, recipient=recipient, person=person, received_on=on, now=now, actor=SYSTEM, tz=TZ
    )


def _audit(db, key, action):
    return db.scalars(
        select(AuditRecord).where(
            AuditRecord.object_id == str(key.id), AuditRecord.action == f"cabinet_key.{action}"
        )
    ).all()


def test_the_hand_back_records_who_received_the_key_not_the_staff_member(db, clock):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    _hand_back(db, key, person="Kim Arving", recipient="estate", on=TODAY - timedelta(days=0))
    db.commit()
    assert key.status == "returned" and key.holder is None
    event = handback.hand_back_of(db, key)
    assert (event.person, event.recipient, event.received_on) == ("Kim Arving", "estate", TODAY)
    (audit,) = _audit(db, key, "return_to_citizen")
    assert audit.data["was_with"] == "Agnes Petersen"  # who had it out, for the record
    assert audit.data["person"] == "Kim Arving" and audit.data["recipient"] == "estate"
    assert audit.data["received_on"] == TODAY.isoformat()
    assert keys_held(db, key.citizen_id) == []
    # Nothing further: no handout, no put-back, no second hand-back, no move.
    for action in ("hand_out", "put_back"):
        with pytest.raises(keycabinet.KeyStateError):
            keycabinet.act(db, key, action, person="X", now=NOW, actor=SYSTEM)
    with pytest.raises(keycabinet.KeyStateError):
        _hand_back(db, key)
    with pytest.raises(keycabinet.KeyStateError):
        keycabinet.move_key(db, key, 1, person="X", now=NOW, actor=SYSTEM, tz=TZ)


@pytest.mark.parametrize(
    "change, error",
    [
        ({"recipient": "staff"}, handback.RecipientUnknown),
        ({"recipient": ""}, handback.RecipientUnknown),
        ({"person": "   "}, keycabinet.PersonMissing),
        ({"on": TODAY + timedelta(days=1)}, handback.ReceivedDateWrong),
        ({"on": TODAY - timedelta(days=1)}, handback.ReceivedDateWrong),  # before it was stored
        ({"on": None}, handback.ReceivedDateWrong),
    ],
)
def test_a_hand_back_needs_a_recipient_a_name_and_a_possible_day(db, clock, change, error):
    key = _key(db)
    with pytest.raises(error):
        _hand_back(db, key, **change)
    assert key.status == "in_cabinet"


def test_a_coordinator_corrects_a_mistaken_hand_back_with_a_reason(db, clock):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    _hand_back(db, key)
    with pytest.raises(handback.ReasonMissing):
        handback.correct(db, key, reason="  ", now=NOW, actor=SYSTEM)
    handback.correct(db, key, reason="Wrong button", now=NOW, actor=SYSTEM)
    db.commit()
    assert (key.status, key.holder) == ("handed_out", "Agnes Petersen")  # where it was before
    assert [e.action for e in keycabinet_queries.events(db, key.id)][:2] == [
        "return_corrected",
        "return_to_citizen",
    ]
    (audit,) = _audit(db, key, "return_corrected")
    assert audit.data["status"] == "handed_out"
    assert keycabinet_queries.events(db, key.id)[0].note == "Wrong button"
    with pytest.raises(keycabinet.KeyStateError):  # nothing left to correct
        handback.correct(db, key, reason="Again", now=NOW, actor=SYSTEM)
    keycabinet.act(db, key, "put_back", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    _hand_back(db, key)
    handback.correct(db, key, reason="Still here", now=NOW, actor=SYSTEM)
    assert (key.status, key.holder) == ("in_cabinet", None)


def test_no_correction_once_another_key_of_the_kind_is_registered(db, clock):
    key = _key(db)
    _hand_back(db, key)
    db.commit()
    keycabinet.store_key(
        db,
        key.cabinet,
        external_id=key.citizen.external_id,
        kind="day",
        tag="18",
        now=NOW,
        actor=SYSTEM,
        tz=TZ,
    )
    db.commit()
    with pytest.raises(keycabinet.KeyAlreadyHeld):
        handback.correct(db, key, reason="Wrong key", now=NOW, actor=SYSTEM)
    db.rollback()
    assert db.get(CabinetKey, key.id).status == "returned"


def _admin(db, key):
    return make_user(db, "provider_admin", provider_id=key.cabinet.provider_id)


def test_the_key_page_keeps_the_hand_back_apart_and_one_click_no_longer_returns(db, client, clock):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    sign_in_staff(client, _admin(db, key))
    db.commit()
    page = client.get(f"/key-cabinets/keys/{key.id}").get_data(as_text=True)
    assert "/return_to_citizen" not in page  # no button beside Hand out / Put back
    assert f'href="/key-cabinets/keys/{key.id}/hand-back"' in page
    one_click = client.post(
        f"/key-cabinets/keys/{key.id}/return_to_citizen", data={"person": "Agnes Petersen"}
    )
    assert one_click.status_code == 404
    db.expire_all()
    assert db.get(CabinetKey, key.id).status == "handed_out"


def test_the_confirmation_page_records_the_recipient_and_the_key_page_says_it_left(
    db, client, clock
):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    sign_in_staff(client, _admin(db, key))
    db.commit()
    url = f"/key-cabinets/keys/{key.id}/hand-back"
    ask = client.get(url).get_data(as_text=True)
    assert "Agnes Petersen" in ask and 'value="2026-11-23"' in ask  # the holder named; today
    empty = client.post(url, data={"person": "", "received_on": "2026-11-24"})
    body = empty.get_data(as_text=True)
    assert empty.status_code == 200 and body.count('class="form-group form-error"') == 2
    future = client.post(
        url, data={"recipient": "relative", "person": "Kim", "received_on": "2026-11-24"}
    )
    assert future.status_code == 200 and 'value="Kim"' in future.get_data(as_text=True)
    db.expire_all()
    assert db.get(CabinetKey, key.id).status == "handed_out"
    done = client.post(
        url, data={"recipient": "relative", "person": "Kim Madsen", "received_on": "23.11.2026"}
    )
    assert done.status_code == 303 and done.location.endswith(f"/key-cabinets/keys/{key.id}")
    page = client.get(done.location).get_data(as_text=True)
    assert "has left the cabinet" in page and "Kim Madsen (A relative)" in page
    assert "Was kept in" in page and "Handed out to" not in page
    assert 'action="/key-cabinets/keys/' not in page  # no form left for the provider
    assert client.get(url).status_code == 303  # asked again: the key page
    receipt = client.get(f"/key-cabinets/keys/{key.id}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")
    db.expire_all()
    event = handback.hand_back_of(db, db.get(CabinetKey, key.id))
    assert (event.person, event.recipient) == ("Kim Madsen", "relative")


def test_only_a_coordinator_corrects_and_must_say_why(db, client, clock):
    key = _key(db)
    _hand_back(db, key)
    admin = _admin(db, key)
    coordinator = make_user(db, "coordinator")
    db.commit()
    url = f"/key-cabinets/keys/{key.id}/correct"
    sign_in_staff(client, admin)
    assert 'action="/key-cabinets/keys/' not in client.get(f"/key-cabinets/keys/{key.id}").text
    assert client.post(url, data={"correct-reason": "Mine"}).status_code == 403
    client.post("/sign-out")
    sign_in_staff(client, coordinator)
    page = client.get(f"/key-cabinets/keys/{key.id}").get_data(as_text=True)
    assert f'action="{url}"' in page
    blank = client.post(url, data={"correct-reason": " "})
    assert blank.status_code == 200 and 'aria-invalid="true"' in blank.get_data(as_text=True)
    assert client.post(url, data={"correct-reason": "Wrong key"}).status_code == 303
    db.expire_all()
    assert db.get(CabinetKey, key.id).status == "in_cabinet"
    assert client.get(f"/key-cabinets/keys/{key.id}/receipt.pdf").status_code == 404
