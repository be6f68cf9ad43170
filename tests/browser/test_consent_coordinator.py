"""The coordinator sends consent requests in a real browser: the board, a whole district
picked on the ask page, the counts, sending, the letters to print, the property's history, an
owner form with an error and a question answered; axe on every page, at desktop width and at
390 px, in Danish and Swedish, with JavaScript on and off."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import clock
from portal.citizens.uploads import forget_details
from portal.consent.models import ConsentDecision, ConsentQuestion, ConsentRequest
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import (
    PASSWORD,
    make_citizen,
    make_district,
    make_owner,
    make_property,
    make_user,
)

pytestmark = pytest.mark.browser
REASON = "Styrelsen vill vänta till nästa stämma."
PHONE = {"width": 390, "height": 844}
TEXT = {
    "da": {
        "ask": "Bed ejere om samtykke",
        "everything": "Tag alle ejendomme i distriktet, der endnu ikke er spurgt",
        "counts": "2 ejere får et brev",
        "send": "Send 2 anmodninger",
        "sent": "Anmodninger om samtykke sendt",
        "save_owner": "Gem ejeren",
        "fill": "Udfyld dette felt",
        "answer": "Send svaret",
        "answered": "Dit svar er gemt",
        "filter": "Filtrér",
        "requested": "Samtykke anmodet",
        "refused": "Afvist eller trukket tilbage",
        "see_refused": "Se alle ejendomme med en afvist eller tilbagetrukket indgang",
        "search": "Søg",
        "waiting": "Venter på ejeren",
    },
    "sv": {
        "ask": "Be ägare om samtycke",
        "everything": "Ta alla fastigheter i området som ännu inte har tillfrågats",
        "counts": "2 ägare får ett brev",
        "send": "Skicka 2 förfrågningar",
        "sent": "Förfrågningar om samtycke skickade",
        "save_owner": "Spara ägaren",
        "fill": "Fyll i det här fältet",
        "answer": "Skicka svaret",
        "answered": "Ditt svar är sparat",
        "filter": "Filtrera",
        "requested": "Samtycke begärt",
        "refused": "Avböjt eller indraget",
        "see_refused": "Se alla fastigheter med en avböjd eller indragen entré",
        "search": "Sök",
        "waiting": "Väntar på ägaren",
    },
}


# How far right of the line start (where the row's address link starts) an element's first line
# starts.
_LINE_START = """s => s.getClientRects()[0].left
    - s.closest('th').querySelector('a').getClientRects()[0].left"""


def _arrange(db):
    district = make_district(db, name="Nordby")
    mail = make_owner(db, name="Boligselskabet Nord")
    paper = make_owner(db, name="Bostad Syd AB", email=None, language="sv")
    props = [
        make_property(db, owner=mail, district=district, entrances=2, address="Skolegade 4"),
        make_property(db, owner=paper, district=district, address="Kirkevej 9"),
    ]
    for prop in props:
        make_citizen(db, district=district, property_id=prop.id)
    # Declined a week ago, in the owner's own words (Swedish on any page): on the board to follow
    # up, never in a request; a long owner name for the phone's cards.
    long_name = make_owner(db, name="Andelsboligforeningen Strandparkens Venner")
    declined = make_property(db, owner=long_name, district=district, address="Havnegade 1")
    entrance = declined.entrances[0]
    entrance.consent_status, entrance.consent_changed_at = "declined", clock.now() - timedelta(7)
    db.add(
        ConsentDecision(
            entrance_id=entrance.id,
            owner_id=long_name.id,
            kind="declined",
            decided_at=clock.now() - timedelta(days=7),
            reason=REASON,
            signer_name="Karin Lund",
        )
    )
    db.add(
        ConsentQuestion(
            owner_id=mail.id,
            property_id=props[0].id,
            asked_at=clock.now(),
            text="Hvem betaler strømmen?",
        )
    )
    coordinator = make_user(db, "coordinator")
    db.commit()
    return district, props, coordinator


def _journey(page, base, db, district, props, lang, js=True):
    t = TEXT[lang]
    page.goto(f"{base}/language/{lang}?next=/coordinator/consent")
    page.wait_for_url("**/coordinator/consent")
    visit(page, "board, nothing asked, one declined")
    refused = page.locator("main table").last
    assert "Havnegade 1" in refused.inner_text() and REASON in refused.inner_text()
    assert page.get_by_role("heading", name=t["refused"]).count() == 1
    # "2 citizens live behind it" starts a line of its own under the entrance, at any width
    # (at 1280 px it ran on as "Opgang A2 borgere bor bag den").
    indent = refused.locator("[data-row] th .table-cards-hint").first.evaluate(_LINE_START)
    assert abs(indent) < 2, indent
    page.get_by_role("link", name=t["see_refused"]).click()
    page.wait_for_url("**/coordinator/properties?status=refused*")
    main = page.inner_text("main")
    assert "Havnegade 1" in main and "Skolegade 4" not in main
    visit(page, "properties, declined or withdrawn")
    page.select_option("#status", "requested" if js else "not_requested")
    if not js:
        page.get_by_role("button", name=t["search"]).click()
    page.wait_for_url("**/coordinator/properties?*status=" + ("requested" if js else "not_*"))
    main = page.locator("#results")
    if js:  # nothing asked yet: none waits for the owner
        main.get_by_text("Havnegade 1").wait_for(state="detached")
        assert "Skolegade 4" not in main.inner_text()
    else:
        assert "Skolegade 4" in main.inner_text() and "Havnegade 1" not in main.inner_text()
    visit(page, "properties by status")
    page.goto(f"{base}/coordinator/consent")
    page.get_by_role("link", name=t["ask"]).first.click()
    page.wait_for_url("**/coordinator/consent/ask")
    visit(page, "ask")
    page.select_option("#district", str(district.id))
    if js:
        page.wait_for_url(f"**/coordinator/consent/ask?*district={district.id}*")
        page.get_by_role("button", name=t["everything"]).wait_for()
    else:
        page.get_by_role("button", name=t["filter"]).click()
        page.wait_for_url(f"**/coordinator/consent/ask?*district={district.id}*")
    visit(page, "ask, one district")
    page.get_by_role("button", name=t["everything"]).click()
    page.wait_for_url("**/coordinator/consent/ask/preview")
    assert t["counts"] in page.inner_text("main")
    visit(page, "preview")
    page.get_by_role("button", name=t["send"]).click()
    page.wait_for_url("**/coordinator/consent/sent*")
    assert t["sent"] in page.inner_text("main")
    visit(page, "sent")
    letter = page.locator("main a[href*='/coordinator/letters/consent/']").first
    pdf = page.request.get(base + letter.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.goto(f"{base}/coordinator/consent")
    assert "Skolegade 4" in page.inner_text("main") and "Kirkevej 9" in page.inner_text("main")
    visit(page, "board with requests")
    page.get_by_role("link", name="Skolegade 4").click()
    page.wait_for_url(f"**/coordinator/properties/{props[0].id}")
    assert t["requested"] in page.inner_text("main")
    visit(page, "property")
    page.goto(f"{base}/coordinator/owners/{props[0].owner_id}/edit")
    page.fill("#name", "")
    submit(page, page.get_by_role("button", name=t["save_owner"]))
    assert t["fill"] in page.inner_text("main")
    visit(page, "owner with an error")
    question = db.scalar(select(ConsentQuestion))
    page.goto(f"{base}/coordinator/consent/questions/{question.id}")
    visit(page, "question")
    page.fill("#answer", "Kommunen betaler.")
    page.get_by_role("button", name=t["answer"]).click()
    page.wait_for_url("**/coordinator/consent/questions")
    assert t["answered"] in page.inner_text("main")
    visit(page, "questions")
    db.expire_all()
    assert len(db.scalars(select(ConsentRequest)).all()) == 2


@pytest.mark.parametrize(("width", "lang"), [("desktop", "da"), ("phone", "sv")])
def test_a_coordinator_sends_consent_requests(browser_page, live_server, live_db, width, lang):
    page = browser_page
    district, props, coordinator = _arrange(live_db)
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    _journey(page, live_server, live_db, district, props, lang)


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_same_with_javascript_off(nojs_page, live_server, live_db, lang):
    page = nojs_page
    district, props, coordinator = _arrange(live_db)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    _journey(page, live_server, live_db, district, props, lang, js=False)
    page.set_viewport_size(PHONE)
    page.axe_page.set_viewport_size(PHONE)
    visit(page, "questions, 390 px")


IMPORT = (
    "property_number;address;postcode;city;district;owner;owner_email;entrance;kind\n"
    "9a;Skolegade 9;4100;Demoby;Nordby;Bolig Ny;ny@bolig.example;Opgang A;gadedør\n"
    "9a;Skolegade 9;4100;Demoby;Nordby;Bolig Ny;;Porten;port\n"
    "10;Skolegade 10;4100;Demoby;Ukendt;Bolig Ny;;Opgang A;luge\n"
)


def test_a_coordinator_imports_properties_with_a_preview(
    browser_page, live_server, live_db, tmp_path
):
    page = browser_page
    _arrange(live_db)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/properties/import")
    submit(page, page.get_by_role("button", name="Vis forhåndsvisning"))  # no file chosen
    assert "Vælg en CSV-fil" in page.inner_text("main")
    page.locator("summary", has_text="Hvilke kolonner").click()  # the column help, opened
    assert "door_phone (Dørtelefon): nej, lyd, video eller ved ikke" in page.inner_text("main")
    assert "Tom: dansk, kommunens sprog" in page.inner_text("main")  # owner_language
    visit(page, "import without a file")
    csv = tmp_path / "ejendomme.csv"
    csv.write_text(IMPORT, encoding="utf-8")
    page.set_input_files("input[type=file]", str(csv))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/coordinator/properties/import/*")
    main = page.inner_text("main")
    assert "Ukendt distrikt: Ukendt" in main and "Ukendt værdi: luge. Skriv gadedør" in main
    assert "Type indgang (kind): Ukendt værdi: luge" in main
    visit(page, "import preview")
    # Two valid rows: one property with two entrances, never "3 rows"
    page.get_by_role("button", name="Importér 1 ejendom og 2 indgange").click()
    page.wait_for_url("**/result")
    receipt = page.inner_text("main")
    for line in ("1 ny ejer", "1 ny ejendom", "2 nye indgange", "1 række sprunget over"):
        assert line in receipt
    skipped = page.locator("table", has_text="Hvad er forkert").inner_text()  # which, and why
    assert "4" in skipped and "Type indgang (kind): Ukendt værdi: luge" in skipped
    visit(page, "import result")
    # 90 days on, the nightly job drops the skipped rows (they quote the file): the receipt
    # keeps its counts and says the details are no longer kept.
    later = clock.now() + timedelta(days=90)
    assert forget_details(live_db, now=later, days=90)
    live_db.commit()
    page.reload()
    receipt = " ".join(page.inner_text("main").split())
    assert "1 række sprunget over" in receipt and "luge" not in receipt
    assert "Hvilke rækker der blev sprunget over, og hvorfor, gemmes ikke længere" in receipt
    visit(page, "import result, details deleted")
    page.goto(f"{live_server}/coordinator/properties/import")  # the same file again
    page.set_input_files("input[type=file]", str(csv))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/coordinator/properties/import/*")
    main = " ".join(page.inner_text("main").split())
    assert "2 gyldige rækker findes allerede uændret blandt ejendommene og indgangene" in main
    assert "borgerlisten" not in main
    visit(page, "import preview, nothing new")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/coordinator/properties?q=skolegade")
    assert "Skolegade 9" in page.inner_text("main")
    visit(page, "properties, 390 px")
