"""Asking for consent through the pages: choose, see the counts, send, print; the board;
questions; and the property import with its preview and errors."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.citizens.models import ImportBatch
from portal.consent.models import ConsentQuestion, ConsentRequest, Entrance, Property
from portal.notify.models import OutboxMessage
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.factories import NOW, make_citizen, make_district, make_owner, make_property


@pytest.fixture
def street(db):
    district = make_district(db, name="Nordby")
    owner = make_owner(db, name="Bolig Nord", language="sv")
    paper = make_owner(db, name="Papir A/S", email=None)
    props = [make_property(db, owner=owner, district=district) for _ in range(2)]
    props.append(make_property(db, owner=paper, district=district, entrances=2))
    make_property(db, owner=paper)  # another district
    for prop in props:
        make_citizen(db, district=district, property_id=prop.id)
    db.commit()
    return district, props


def test_a_coordinator_asks_a_whole_district_and_prints_the_letters(coordinator, db, street):  # noqa: F811
    district, props = street
    ask = coordinator.get(f"/coordinator/consent/ask?district={district.id}")
    assert ask.status_code == 200 and "3 properties to ask about" in ask.get_data(as_text=True)
    preview = coordinator.post(
        "/coordinator/consent/ask/preview", data={"district": district.id, "everything": "1"}
    )
    page = preview.get_data(as_text=True)
    assert "2</strong> owners get a letter" in page and "4</strong> entrances" in page
    assert "3</strong> citizens wait behind them" in page and "Papir A/S" in page
    assert "Letter only" in page
    sent = coordinator.post(
        "/coordinator/consent/ask/send", data={"properties": [str(p.id) for p in props]}
    )
    assert sent.status_code == 303
    result = coordinator.get(sent.location).get_data(as_text=True)
    made = db.scalars(select(ConsentRequest).order_by(ConsentRequest.id)).all()
    assert len(made) == 2 and "Letter (PDF)" in result
    assert [m.to_address for m in db.scalars(select(OutboxMessage))] == [made[0].owner.email]
    pdf = coordinator.get(f"/coordinator/letters/consent/{made[0].id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Cache-Control"] == "no-store, private"
    again = coordinator.post(
        "/coordinator/consent/ask/send", data={"properties": [str(props[0].id)]}
    )
    assert again.status_code == 303 and again.location.endswith("/coordinator/consent/ask")
    assert len(db.scalars(select(ConsentRequest)).all()) == 2
    board = coordinator.get(f"/coordinator/consent?district={district.id}").get_data(as_text=True)
    assert props[0].address in board and "Days since the request" in board


def test_the_letter_is_in_the_owners_language_with_the_code(app, db, keyring, street):
    from flask import current_app

    from portal.citizens.letter_codes import grouped
    from portal.consent import requests
    from portal.letters import consent_letter

    _, props = street
    made = requests.send_requests(
        db, keyring, [props[0].id], config=current_app.config, now=NOW, actor=requests_actor()
    )
    context = consent_letter.consent_context(
        made[0], config=current_app.config, keyring=keyring, now=NOW
    )
    from portal.letters import content

    html = content.render_letter(consent_letter.TEMPLATE, context)
    assert 'lang="sv"' in html and grouped(requests.code_of(keyring, made[0])) in html
    assert props[0].address in html and "<svg" in html


def requests_actor():
    from portal.audit.services import Actor

    return Actor("user", None, "test")


def test_an_owner_without_a_postal_address_has_no_letter_to_print(coordinator, db, street):  # noqa: F811
    _, props = street
    props[0].owner.postal_address = None
    db.commit()
    data = {"properties": [str(props[0].id)]}
    preview = coordinator.post("/coordinator/consent/ask/preview", data=data)
    assert "letter cannot be printed until one is added" in preview.get_data(as_text=True)
    sent = coordinator.post("/coordinator/consent/ask/send", data=data)
    assert "No postal address" in coordinator.get(sent.location).get_data(as_text=True)
    request = db.scalar(select(ConsentRequest))
    assert coordinator.get(f"/coordinator/letters/consent/{request.id}.pdf").status_code == 404


def test_the_ask_pages_refuse_nonsense(coordinator, db, street):  # noqa: F811
    for data in (
        {"properties": ["x", "-1", "99999999999"]},
        {"everything": "1", "district": "abc"},
        {"everything": "1"},
        {},
    ):
        response = coordinator.post("/coordinator/consent/ask/preview", data=data)
        assert response.status_code == 303
    assert coordinator.get("/coordinator/consent/sent?ids=abc,%3Cb%3E").status_code == 404
    assert db.scalar(select(ConsentRequest)) is None


def test_a_coordinator_answers_an_owners_question(coordinator, db, street):  # noqa: F811
    _, props = street
    question = ConsentQuestion(
        owner_id=props[0].owner_id,
        property_id=props[0].id,
        asked_at=NOW - timedelta(days=1),
        text="<b>Hvem</b> betaler?",
    )
    db.add(question)
    db.commit()
    listing = coordinator.get("/coordinator/consent/questions").get_data(as_text=True)
    assert "&lt;b&gt;Hvem" in listing and "Waiting for an answer" in listing
    url = f"/coordinator/consent/questions/{question.id}"
    empty = coordinator.post(url, data={"answer": "  "})
    assert empty.status_code == 200 and "Write an answer" in empty.get_data(as_text=True)
    long = coordinator.post(url, data={"answer": "y" * 4001})
    assert "y" * 4001 in long.get_data(as_text=True)  # kept, with a message
    assert coordinator.post(url, data={"answer": "Kommunen."}).status_code == 303
    late = coordinator.post(url, data={"answer": "Igen"}, follow_redirects=True)
    assert late.status_code == 200
    db.expire_all()
    assert db.get(ConsentQuestion, question.id).answer == "Kommunen."


CSV = (
    "property_number;address;postcode;city;district;owner;owner_org_number;owner_email;"
    "entrance;kind;door_phone;electric_strike;power_source\n"
    "12a;Skolegade 1;4100;Demoby;Nordby;Bolig Ny;87654321;ny@bolig.example;Opgang A;"
    "street_door;video;ja;12v\n"
    "12a;Skolegade 1;4100;Demoby;Nordby;Bolig Ny;87654321;;Gården;port;none;nej;batteri\n"
    "13;Skolegade 3;4100;Demoby;Sydby;Bolig Ny;87654321;;Opgang A;hatch;;maybe;\n"
    "12a;Skolegade 1;4100;Demoby;Nordby;Bolig Ny;87654321;;opgang a;;;;\n"
    '14;=HYPERLINK("x");4100;Demoby;;<b>Ejer</b>;;;A;;;;\n'
)


def test_properties_and_entrances_are_imported_after_a_preview(coordinator, db, street):  # noqa: F811
    upload = coordinator.post(
        "/coordinator/properties/import",
        data={"file": (io.BytesIO(CSV.encode()), "ejendomme.csv")},
    )
    assert upload.status_code == 303
    preview = coordinator.get(upload.location).get_data(as_text=True)
    assert "Unknown district: Sydby" in preview and "Unknown value: hatch" in preview
    assert "Write yes or no" in preview and "Duplicate in the file (also on row 2)" in preview
    assert "&lt;b&gt;Ejer" in preview and "<b>Ejer" not in preview
    assert db.scalar(select(Property).where(Property.property_number == "12a")) is None
    done = coordinator.post(upload.location)
    assert done.status_code == 303
    assert "2 new owners" in coordinator.get(done.location).get_data(as_text=True)
    prop = db.scalar(select(Property).where(Property.property_number == "12a"))
    kinds = {(e.label, e.kind, e.power_source, e.electric_strike) for e in prop.entrances}
    assert kinds == {
        ("Opgang A", "street_door", "mains_12_24v", True),
        ("Gården", "gate", "battery", False),
    }
    assert prop.owner.org_number == "87654321" and prop.owner.email == "ny@bolig.example"
    hostile = db.scalar(select(Property).where(Property.property_number == "14"))
    assert hostile.address == '=HYPERLINK("x")' and hostile.owner.name == "<b>Ejer</b>"
    assert coordinator.post(upload.location).status_code == 303  # a double click imports once
    assert len(db.scalars(select(Entrance)).all()) == 5 + 3  # the street's and the file's


def test_a_citizen_import_batch_is_not_a_property_import(coordinator, db):  # noqa: F811
    from portal.accounts.models import User
    from portal.citizens.importer import store_upload

    user = db.scalar(select(User).where(User.role == "coordinator"))
    batch = store_upload(db, "c.csv", b"a,b\n1,2\n", user.id, NOW)
    db.commit()
    assert db.get(ImportBatch, batch.id).kind == "citizens"
    assert coordinator.get(f"/coordinator/properties/import/{batch.id}").status_code == 404
    for raw in (b"", b"\x00\x01", b"only;header\n", b"address;postcode;city;owner;entrance\n"):
        response = coordinator.post(
            "/coordinator/properties/import", data={"file": (io.BytesIO(raw), "x.csv")}
        )
        assert response.status_code == 200 and "Error:" in response.get_data(as_text=True)
