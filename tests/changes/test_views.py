"""Change pages: the citizen's questions, the coordinator's queue and decisions, bad input."""

import io

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeDocument, ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from tests.changes.support import fitted_citizen, make_town
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _citizen(db, town, **extra):
    citizen = fitted_citizen(db, town, **extra)
    db.commit()
    return citizen


def _ask_switch(client, town, day="2026-12-01"):
    assert client.get("/citizen/changes/switch/provider?start=new").status_code == 200
    r = client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    assert r.status_code == 303 and r.location.endswith("/citizen/changes/switch/date")
    r = client.post("/citizen/changes/switch/date", data={"effective_on": day})
    assert r.status_code == 303 and r.location.endswith("/citizen/changes/switch/check")
    page = client.get("/citizen/changes/switch/check").get_data(as_text=True)
    assert "Omsorg A/S" in page and "Check your answers" in page
    r = client.post("/citizen/changes/switch/check")
    assert r.status_code == 303 and "/citizen/changes/r/" in r.location
    return r.location


def test_a_relative_asks_for_a_switch_and_the_request_is_theirs(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    receipt = client.get(_ask_switch(client, town)).get_data(as_text=True)
    req = db.scalar(select(ChangeRequest))
    assert req.reference in receipt and f"The request for {citizen.name} has been sent" in receipt
    assert req.source == "relative" and "Rita Relativ" in req.requested_by
    home = client.get("/citizen/").get_data(as_text=True)
    assert req.reference in home and "Received" in home


def test_bad_answers_come_back_with_a_message(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/switch/provider?start=new")
    for value in ("", str(town.hjem.id), "999999", "<script>", "x" * 5000):
        page = client.post("/citizen/changes/switch/provider", data={"provider": value})
        assert page.status_code == 200
        assert "There is a problem" in page.get_data(as_text=True) or "Error" in page.get_data(
            as_text=True
        )
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    for value, message in (
        ("tomorrow", "Enter or choose a valid date"),
        ("2026-11-01", "today or later"),
        ("2031-01-01", "at most 365 days"),
        ("=1+1", "Enter or choose a valid date"),
    ):
        page = client.post("/citizen/changes/switch/date", data={"effective_on": value})
        assert page.status_code == 200 and message in page.get_data(as_text=True), value
    # The check page before the questions are answered sends the citizen back to them.
    assert client.get("/citizen/changes/switch/check").status_code == 303


def test_a_move_with_a_hostile_address_is_escaped_and_an_unknown_postcode_refused(
    client,
    db,
    town,
):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/move/inside?start=new")
    assert client.post("/citizen/changes/move/inside", data={"inside": "yes"}).status_code == 303
    page = client.post(
        "/citizen/changes/move/address",
        data={"address": "<script>alert(1)</script>", "postcode": "abc", "city": "=HYPERLINK()"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter the postcode in digits" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    page = client.post(
        "/citizen/changes/move/address",
        data={"address": "<b>Ny</b> 1", "postcode": "9999", "city": "=HYPERLINK()"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "not in any of the municipality" in text
    assert "<b>Ny</b>" not in text and "&lt;b&gt;Ny&lt;/b&gt; 1" in text
    # The refused address is not kept as an answer: the check page sends the citizen back.
    client.post("/citizen/changes/move/date", data={"effective_on": "2026-12-10"})
    page = client.post("/citizen/changes/move/check")
    assert page.status_code == 303 and page.location.endswith("/citizen/changes/move/address")
    assert db.scalar(select(ChangeRequest)) is None


def test_withdraw_and_answer_a_question(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    receipt = _ask_switch(client, town).split("?")[0]
    req = db.scalar(select(ChangeRequest))
    req.status, req.question = "question", "Why?"
    db.commit()
    assert "Why?" in client.get(receipt).get_data(as_text=True)
    empty = client.post(receipt + "/answer", data={"answer": ""})
    assert empty.status_code == 200 and "Write your answer" in empty.get_data(as_text=True)
    assert client.post(receipt + "/answer", data={"answer": "Because"}).status_code == 303
    db.refresh(req)
    assert (req.status, req.answer) == ("pending", "Because")
    assert client.post(receipt + "/withdraw", data={"confirm": "yes"}).status_code == 303
    db.refresh(req)
    assert req.status == "withdrawn"
    assert "already been decided" in client.post(
        receipt + "/withdraw", data={"confirm": "yes"}, follow_redirects=True
    ).get_data(as_text=True)


def test_a_citizen_cannot_see_or_touch_another_citizens_request(client, db, town):
    owner, stranger = _citizen(db, town), _citizen(db, town)
    sign_in_citizen(client, owner)
    receipt = _ask_switch(client, town).split("?")[0]
    client.post("/sign-out")
    sign_in_citizen(client, stranger)
    for method, url in (
        ("GET", receipt),
        ("POST", receipt + "/withdraw"),
        ("POST", receipt + "/answer"),
    ):
        assert client.open(url, method=method).status_code == 404
    assert client.get("/citizen/changes/r/NOPE").status_code == 404
    assert db.scalar(select(ChangeRequest)).status == "pending"


def test_a_second_request_while_one_is_open_is_explained(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    _ask_switch(client, town)
    ref = db.scalar(select(ChangeRequest.reference))
    page = client.get("/citizen/changes/leave/reason?start=new", follow_redirects=True)
    assert ref in page.get_data(as_text=True) and "already a request in progress" in page.get_data(
        as_text=True
    )


def test_the_coordinator_approves_asks_refuses_and_attaches(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    _ask_switch(client, town)
    client.post("/sign-out")
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    req = db.scalar(select(ChangeRequest))
    queue = client.get("/coordinator/changes").get_data(as_text=True)
    assert req.reference in queue and "0 days" in queue
    for query in (
        "?kind=<x>&status=zz&district=abc&page=-1",
        "?kind=switch&status=all&district=99999999999",
    ):
        assert client.get("/coordinator/changes" + query).status_code == 200
    url = f"/coordinator/changes/{req.id}"
    assert client.get(url).status_code == 200
    bad = client.post(url + "/documents", data={"document": (io.BytesIO(b"MZ\x90evil"), "x.pdf")})
    assert bad.status_code == 200 and "PDF, JPEG or PNG" in bad.get_data(as_text=True)
    ok = client.post(url + "/documents", data={"document": (io.BytesIO(PDF), "../../brev.pdf")})
    assert ok.status_code == 303
    doc = db.scalar(select(ChangeDocument))
    assert doc.filename == "brev.pdf" and doc.content_type == "application/pdf"
    download = client.get(f"/coordinator/changes/documents/{doc.id}")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert client.post(url + "/ask", data={"question": ""}).status_code == 200
    assert client.post(url + "/ask", data={"question": "Which day?"}).status_code == 303
    past = client.post(url + "/approve", data={"effective_on": "2020-01-01"})
    assert past.status_code == 200 and "today or later" in past.get_data(as_text=True)
    assert client.post(url + "/approve", data={"effective_on": "2026-12-01"}).status_code == 303
    db.refresh(req)
    db.refresh(citizen)
    assert req.status == "approved" and citizen.status == CitizenStatus.SWITCHING_PROVIDER
    assert client.post(url + "/refuse", data={"reason": "late"}).status_code == 200
    assert client.get("/coordinator/changes/999999").status_code == 404
    assert client.get("/coordinator/changes/documents/99999999999").status_code == 404


def test_the_coordinator_registers_a_death_from_the_care_system(client, db, town):
    citizen = _citizen(db, town)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    url = f"/coordinator/citizens/{citizen.id}/changes/leave"
    assert client.get(url).status_code == 200
    missing = client.post(
        url, data={"source": "care_system", "reason": "deceased", "effective_on": "2026-11-25"}
    )
    assert missing.status_code == 200 and "contact person for the estate" in missing.get_data(
        as_text=True
    )
    done = client.post(
        url,
        data={
            "source": "care_system",
            "reason": "deceased",
            "effective_on": "2026-11-25",
            "estate_contact": "Ole Olsen 20304050",
        },
    )
    assert done.status_code == 303
    req = db.scalar(select(ChangeRequest))
    assert (req.status, req.source, req.estate_contact) == (
        "approved",
        "care_system",
        "Ole Olsen 20304050",
    )
    assert client.get(f"/coordinator/citizens/{citizen.id}/changes/nonsense").status_code == 404
    assert client.get("/coordinator/citizens/999999/changes/leave").status_code == 404


def test_a_provider_admin_sees_only_its_own_notices(client, db, town):
    citizen = _citizen(db, town)
    other = make_citizen(db, district=town.north, provider=town.hjem, name="Other Person")
    db.commit()
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    client.post(
        f"/coordinator/citizens/{citizen.id}/changes/switch",
        data={"source": "phone", "provider": str(town.omsorg.id), "effective_on": "2026-12-01"},
    )
    client.post("/sign-out")
    stranger_provider_admin = make_user(db, "provider_admin", provider_id=make_town_provider(db).id)
    db.commit()
    sign_in_staff(client, town.admins["omsorg"])
    page = client.get("/provider/notices").get_data(as_text=True)
    assert citizen.name in page and "Joins your organisation" in page and other.name not in page
    assert citizen.name in client.get("/staff").get_data(as_text=True)
    client.post("/sign-out")
    sign_in_staff(client, stranger_provider_admin)
    assert citizen.name not in client.get("/provider/notices").get_data(as_text=True)


def make_town_provider(db):
    from tests.factories import make_provider

    return make_provider(db)


def test_the_visit_log_shows_the_switch_once_it_is_in_force(client, db, town, clock):
    from datetime import UTC, datetime

    from portal.changes.tasks import run_due

    citizen = _citizen(db, town)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    client.post(
        f"/coordinator/citizens/{citizen.id}/changes/switch",
        data={
            "source": "care_system",
            "provider": str(town.omsorg.id),
            "effective_on": "2026-12-01",
        },
    )
    client.post("/sign-out")
    sign_in_citizen(client, citizen)
    line = "Home-care provider changed from Hjemmeplejen to Omsorg A/S on 1 December 2026"
    assert line not in client.get("/citizen/").get_data(as_text=True)
    clock.set(datetime(2026, 11, 30, 23, 5, tzinfo=UTC))
    with client.application.app_context():
        assert len(run_due()) == 1  # the scheduled job's work, committed
        assert run_due() == []
    sign_in_citizen(client, citizen)  # a week later: the old session has timed out
    page = client.get("/citizen/").get_data(as_text=True)
    assert line in page and "Omsorg A/S" in page


@pytest.mark.parametrize(
    ("relative", "reason", "detail", "stored"),
    [
        (None, "opted_out", {"alternative": "key_box"}, ("alternative", "key_box")),
        (
            RELATIVE,
            "deceased",
            {"estate_contact": "Ole Olsen 20304050"},
            ("estate_contact", "Ole Olsen 20304050"),
        ),
        (None, "care_ended", None, ("reason", "care_ended")),
    ],
)
def test_leaving_questions_ask_for_the_way_in_or_the_estate(
    client, db, town, relative, reason, detail, stored
):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen, relative=relative)
    client.get("/citizen/changes/leave/reason?start=new")
    if relative is None:
        refused = client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
        assert "Choose one of the answers shown" in refused.get_data(as_text=True)
    r = client.post("/citizen/changes/leave/reason", data={"reason": reason})
    if detail is None:
        assert r.location.endswith("/citizen/changes/leave/date")
    else:
        assert r.location.endswith("/citizen/changes/leave/detail")
        assert client.post("/citizen/changes/leave/detail", data={}).status_code == 200
        assert client.post("/citizen/changes/leave/detail", data=detail).status_code == 303
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-12-01"})
    assert client.post("/citizen/changes/leave/check").status_code == 303
    req = db.scalar(select(ChangeRequest))
    assert (req.kind, req.reason) == ("leave", reason) and getattr(req, stored[0]) == stored[1]


def test_the_coordinator_cancels_an_approved_switch_before_its_date(client, db, town):
    citizen = _citizen(db, town)
    sign_in_citizen(client, citizen)
    receipt = _ask_switch(client, town).split("?")[0]
    client.post("/sign-out")
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    req = db.scalar(select(ChangeRequest))
    url = f"/coordinator/changes/{req.id}"
    # Not approved yet: there is nothing to cancel, back to the request's page.
    assert client.get(url + "/cancel").status_code == 303
    assert client.post(url + "/approve", data={"effective_on": "2026-12-01"}).status_code == 303
    detail = client.get(url).get_data(as_text=True)
    assert f'href="{url}/cancel"' in detail
    confirm = client.get(url + "/cancel")
    assert confirm.status_code == 200 and "Keep the change" in confirm.get_data(as_text=True)
    for reason, message in (("", "Write why the change is cancelled"), ("x" * 1001, "1000")):
        page = client.post(url + "/cancel", data={"reason": reason})
        assert page.status_code == 200 and message in page.get_data(as_text=True)
    db.refresh(req)
    assert req.status == "approved"
    done = client.post(url + "/cancel", data={"reason": "<script>x</script> =1+1"})
    assert done.status_code == 303 and done.location.endswith(url)
    db.refresh(req)
    db.refresh(citizen)
    assert req.status == "cancelled" and citizen.status == CitizenStatus.FITTED
    page = client.get(url).get_data(as_text=True)
    assert "has been cancelled" in page and "Reason for cancelling" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert client.get(url + "/cancel").status_code == 303  # no second time
    client.post("/sign-out")
    sign_in_citizen(client, citizen)
    mine = client.get(receipt).get_data(as_text=True)
    assert "The municipality cancelled the approved change" in mine
