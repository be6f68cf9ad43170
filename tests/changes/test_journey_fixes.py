"""Reviewer's findings on the change pages: withdrawing asks first, an unknown postcode is
refused on the address step, an approved switch without a lock, the decider's role and the
times in the page's language, date hints that match the browser's date picker."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.accounts.roles import actor_name as who
from portal.changes.models import ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from portal.i18n import force_locale
from portal.notify.models import OutboxMessage
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW, make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _ask_switch(client, town, day="2026-12-01"):
    client.get("/citizen/changes/switch/provider?start=new")
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    client.post("/citizen/changes/switch/date", data={"effective_on": day})
    r = client.post("/citizen/changes/switch/check")
    assert r.status_code == 303 and "/citizen/changes/r/" in r.location
    return r.location.split("?")[0]


@pytest.mark.parametrize("relative", [None, RELATIVE])
def test_withdrawing_asks_first_and_one_tap_on_the_receipt_withdraws_nothing(
    client, db, town, relative
):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen, relative=relative)
    receipt = _ask_switch(client, town)
    page = client.get(receipt).get_data(as_text=True)
    # The receipt links to the question; it has no form that withdraws.
    assert f'href="{receipt}/withdraw"' in page
    assert f'action="{receipt}/withdraw"' not in page
    # The POST the old receipt page made (only its CSRF token) asks instead of acting.
    asked = client.post(receipt + "/withdraw")
    assert asked.status_code == 200
    req = db.scalar(select(ChangeRequest))
    db.refresh(req)
    assert req.status == "pending"
    confirm = client.get(receipt + "/withdraw")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert f"Withdraw request {req.reference}?" in text
    assert "The municipality will not handle the request, and nothing will be changed." in text
    assert "Omsorg A/S" in text  # what is being withdrawn
    assert "Yes, withdraw the request" in text
    assert f'<a href="{receipt}">No, keep the request</a>' in text
    assert 'name="confirm" value="yes"' in text
    # Worded for the citizen and for a relative acting for them alike.
    assert "your request" not in text.lower()
    done = client.post(receipt + "/withdraw", data={"confirm": "yes"})
    assert done.status_code == 303 and done.location.endswith(receipt)
    db.refresh(req)
    assert req.status == "withdrawn"
    after = client.get(receipt).get_data(as_text=True)
    assert "The request has been withdrawn." in after
    assert f"{receipt}/withdraw" not in after
    # Decided: the confirmation is not offered again.
    again = client.get(receipt + "/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "already been decided" in again


def test_an_unknown_postcode_is_refused_on_the_address_step_with_the_answers_kept(client, db, town):
    citizen = fitted_citizen(db, town, postcode="4100")
    db.commit()
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/move/inside?start=new")
    assert client.post("/citizen/changes/move/inside", data={"inside": "yes"}).status_code == 303
    typed = {"address": "Nyvej 1", "postcode": "9999", "city": "Ingenstans"}
    page = client.post("/citizen/changes/move/address", data=typed)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This postcode is not in any of the municipality&#39;s districts." in text
    assert 'href="#postcode"' in text  # the error summary points at the field
    assert 'value="Nyvej 1"' in text and 'value="9999"' in text and 'value="Ingenstans"' in text
    assert "<title>Error:" in text
    # A postcode of the municipality's goes on to the date.
    typed["postcode"] = "4100"
    moved_on = client.post("/citizen/changes/move/address", data=typed)
    assert moved_on.status_code == 303 and moved_on.location.endswith("/citizen/changes/move/date")


def test_moving_away_takes_any_postcode_on_the_address_step(client, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/move/inside?start=new")
    client.post("/citizen/changes/move/inside", data={"inside": "no"})
    typed = {"address": "Fjernvej 2", "postcode": "9999", "city": "Langtvæk"}
    page = client.post("/citizen/changes/move/address", data=typed)
    assert page.status_code == 303 and page.location.endswith("/citizen/changes/move/date")


def _speaking(app, lang):
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE=lang)
    return client


def _registered(db, town):
    """A citizen who has had the letter but has no lock yet (status registered, no unit)."""
    citizen = make_citizen(
        db,
        district=town.north,
        provider=town.hjem,
        care_group=town.hjem_north,
        status=CitizenStatus.REGISTERED,
    )
    db.commit()
    return citizen


@pytest.mark.parametrize("with_lock", [True, False])
def test_an_approved_switch_speaks_of_the_lock_only_when_one_is_fitted(client, db, town, with_lock):
    citizen = fitted_citizen(db, town) if with_lock else _registered(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    question = client.get("/citizen/changes/switch/provider?start=new").get_data(as_text=True)
    receipt = _ask_switch(client, town)
    req = db.scalar(select(ChangeRequest))
    req.status = "approved"
    db.commit()
    page = client.get(receipt).get_data(as_text=True)
    keeps = "You keep your lock"
    none_yet = "No electronic lock is fitted at your door yet"
    assert "From 00:00 on 1 December 2026, Omsorg A/S gives your home care." in page
    if with_lock:
        assert keeps in page and none_yet not in page
        assert "Home care keeps the same lock." in question
    else:
        assert keeps not in page and none_yet in page
        assert "nothing changes there" in page
        assert "Home care keeps the same lock." not in question and none_yet in question


def _decided_switch(db, town, decided_by):
    citizen = fitted_citizen(db, town)
    req = ChangeRequest(
        reference="DEC-123",
        citizen_id=citizen.id,
        kind="switch",
        status="approved",
        source="citizen",
        requested_by=f"citizen:{citizen.id}",
        from_provider_id=town.hjem.id,
        to_provider_id=town.omsorg.id,
        effective_on=date(2026, 12, 1),
        created_at=NOW,
        decided_at=NOW,
        decided_by=decided_by,
    )
    db.add(req)
    db.commit()
    return citizen, req


@pytest.mark.parametrize(
    ("lang", "decided", "role"),
    [("da", "Afgjort af", "Koordinator"), ("sv", "Beslutat av", "Samordnare")],
)
def test_the_deciders_role_is_in_the_pages_language(app, db, town, lang, decided, role):
    coordinator = make_user(db, "coordinator")
    citizen, req = _decided_switch(db, town, "user:7 Karin Koordinator (coordinator)")
    client = _speaking(app, lang)
    sign_in_staff(client, coordinator)
    page = client.get(f"/coordinator/changes/{req.id}").get_data(as_text=True)
    assert f"{decided} Karin Koordinator ({role}) den " in page
    assert "(coordinator)" not in page


def test_who_keeps_names_and_translates_only_known_roles(app):
    with app.test_request_context(), force_locale("sv"):
        assert who("user:7 Karin Koordinator (coordinator)") == "Karin Koordinator (Samordnare)"
        assert who("user:7 Lars (Larsen) (locksmith)") == "Lars (Larsen) (Låssmed)"
        assert who("user:8 Olle Ovanlig (auditor)") == "Olle Ovanlig (auditor)"
        assert who("relative:4 Rita (Relativ)") == "Rita (Relativ)"
        assert who("system portal") == "Automatiskt"
        assert who(None) == ""


def test_the_date_question_names_no_format_the_browser_does_not_show(client, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/switch/provider?start=new")
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    page = client.get("/citizen/changes/switch/date").get_data(as_text=True)
    assert 'type="date"' in page
    assert "For example" not in page and "2027-01-31" not in page
    assert "The change takes effect at 00:00 on this date." in page
    for sent in ("", "2026-02-30", "tomorrow"):
        bad = client.post("/citizen/changes/switch/date", data={"effective_on": sent})
        text = bad.get_data(as_text=True)
        assert bad.status_code == 200 and "Enter or choose a valid date" in text, sent
        assert "2027-01-31" not in text
    # What the date picker sends, and a date typed the Danish way where there is no picker.
    for sent in ("2026-12-01", "01.12.2026", "1-12-2026"):
        ok = client.post("/citizen/changes/switch/date", data={"effective_on": sent})
        assert ok.status_code == 303, sent
        assert "1 December 2026" in client.get("/citizen/changes/switch/check").get_data(
            as_text=True
        )


def test_the_coordinators_approve_form_says_to_enter_or_choose_a_date(client, db, town):
    coordinator = make_user(db, "coordinator")
    citizen, req = _decided_switch(db, town, None)
    req.status, req.decided_at = "pending", None
    db.commit()
    sign_in_staff(client, coordinator)
    url = f"/coordinator/changes/{req.id}"
    page = client.get(url).get_data(as_text=True)
    assert "The change takes effect at 00:00 on this date." in page
    bad = client.post(url + "/approve", data={"effective_on": ""}).get_data(as_text=True)
    assert "Enter or choose a valid date" in bad and "2027-01-31" not in bad
    assert db.get(ChangeRequest, req.id).status == "pending"
    page = client.get(f"/coordinator/citizens/{citizen.id}/changes/switch").get_data(as_text=True)
    assert "The change takes effect at 00:00 on this date." in page


@pytest.mark.parametrize(
    ("lang", "receipt_text", "hint"),
    [
        ("da", "Fra kl. 00.00 den 1. december 2026", "træder i kraft kl. 00.00 på denne dato"),
        ("sv", "Från kl. 00:00 den 1 december 2026", "gäller från kl. 00:00 detta datum"),
    ],
)
def test_midnight_is_written_the_way_the_pages_language_writes_times(
    app, db, town, lang, receipt_text, hint
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _speaking(app, lang)
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/switch/provider?start=new")
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    date_page = client.get("/citizen/changes/switch/date").get_data(as_text=True)
    assert hint in date_page
    receipt = _ask_switch(client, town)
    client.post("/sign-out")
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    req = db.scalar(select(ChangeRequest))
    detail = client.get(f"/coordinator/changes/{req.id}").get_data(as_text=True)
    assert hint in detail
    approved = client.post(
        f"/coordinator/changes/{req.id}/approve", data={"effective_on": "2026-12-01"}
    )
    assert approved.status_code == 303
    client.post("/sign-out")
    sign_in_citizen(client, citizen)
    page = client.get(receipt).get_data(as_text=True)
    assert receipt_text in page
    if lang == "da":
        assert "00:00" not in page
        # The losing provider's admins are written to in the municipality's language (Danish).
        bodies = [m.body for m in db.scalars(select(OutboxMessage))]
        assert any("mister dørnøglen kl. 00.00 den dag" in b for b in bodies), bodies


def test_a_citizens_own_request_shows_no_bare_id_to_the_coordinator(app, client, db, town):
    """A citizen is stored as "citizen:3" (no name): the coordinator's page said "From:
    Citizen (citizen:3)" and "Decided by citizen:3" after the citizen withdrew."""
    with app.test_request_context(), force_locale("en"):
        assert who("citizen:3") == ""
        assert who("system demo data") == who("system portal") == "Automatic"
        assert who("relative:4 Rita Relativ") == "Rita Relativ"
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    receipt = _ask_switch(client, town)
    assert client.post(receipt + "/withdraw", data={"confirm": "yes"}).status_code == 303
    req = db.scalar(select(ChangeRequest))
    coordinator = isolated_client(app)
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    boss = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(coordinator, boss)
    page = coordinator.get(f"/coordinator/changes/{req.id}").get_data(as_text=True)
    assert "citizen:" not in page
    assert "Withdrawn by the citizen on" in page and "Decided by" not in page
