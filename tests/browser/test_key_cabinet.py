"""The key cabinet in a real browser: a key registered by the citizen's name (two match: the
page lists them to pick), handed out, then handed back for good on its own confirmation page;
the key page says it has left the cabinet; its log and the cabinet list are each one table
whose rows are cards on a phone; a coordinator corrects the mistaken hand-back. axe on every
page, at desktop width and 390 px, in Danish and Swedish, with JavaScript on and off."""

import pytest

from portal import clock
from portal.audit.services import SYSTEM
from portal.changes import keycabinet
from portal.changes.keycabinet_models import CabinetKey
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import DESKTOP, assert_rows_become_cards, look, submit
from tests.factories import PASSWORD, make_citizen, make_provider, make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LEFT = {"da": "Nøglen har forladt skabet", "sv": "Nyckeln har lämnat skåpet"}


def _world(db):
    provider = make_provider(db, name="Hjemmeplejen Nord")
    bent = make_citizen(db, provider=provider, name="Bent Madsen")
    make_citizen(db, provider=provider, name="Bodil Madsen")
    cabinet = keycabinet.create_cabinet(
        db, provider.id, "Skab 1", "Kontoret", now=clock.now(), actor=SYSTEM
    )
    admin = make_user(db, "provider_admin", provider_id=provider.id)
    coordinator = make_user(db, "coordinator")
    db.commit()
    return cabinet, bent, admin, coordinator


def _language(page, base, lang):
    page.goto(f"{base}/language/{lang}?next=/accessibility")
    page.wait_for_load_state()


def _log_rows_are_cards(page, mode, name, at_least=1):
    """With JavaScript on (the check reads computed styles): each row of the page's one table is
    a card at 390 px and a table row at 1280 px; screenshots at both widths."""
    if "off" in mode:
        return
    before = page.viewport_size
    assert_rows_become_cards(page, at_least)
    for width, size in ((390, PHONE), (1280, DESKTOP)):
        page.set_viewport_size(size)
        look(page, f"{name}_{mode}_{width}")
    page.set_viewport_size(before)


@pytest.mark.parametrize(
    "mode", ["javascript-on-da-desktop", "javascript-on-sv-phone", "javascript-off-da-desktop"]
)
def test_register_by_name_hand_out_hand_back_and_correct(request, live_server, live_db, mode):
    page = request.getfixturevalue("nojs_page" if "off" in mode else "browser_page")
    lang = mode.split("-")[2]
    phone = "phone" in mode
    if phone:
        page.set_viewport_size(PHONE)
    cabinet, bent, admin, coordinator = _world(live_db)
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, admin, PASSWORD)

    page.goto(f"{live_server}/key-cabinets/{cabinet.id}/keys/new")
    assert page.locator("#citizen-hint").count() == 1
    visit(page, "register a key")
    page.fill("#citizen", "madsen")
    page.check("input[name=kind][value=night]")
    page.fill("#tag", "N-4")
    submit(page, "main form button[type=submit]")
    assert page.locator("#citizen[aria-invalid=true]").count() == 1
    assert page.locator("main li form").count() == 2  # Bent and Bodil, to pick from
    visit(page, "register a key: two citizens match")
    submit(page, page.locator("main li form", has_text="Bent Madsen").locator("button"))
    page.wait_for_url("**/key-cabinets/keys/*")
    key_url = page.url
    key_id = int(key_url.rsplit("/", 1)[1])
    assert live_db.get(CabinetKey, key_id).citizen_id == bent.id

    page.fill("#person", "Agnes Petersen")
    submit(page, f"button[formaction='/key-cabinets/keys/{key_id}/hand_out']")
    assert page.locator("button[formaction$='/return_to_citizen']").count() == 0
    visit(page, "the key, handed out")
    submit(page, f"a[href='/key-cabinets/keys/{key_id}/hand-back']")
    assert "Agnes Petersen" in page.inner_text("main")  # named: not her, the recipient
    visit(page, "hand the key back")
    submit(page, "main form button[type=submit]")  # nothing chosen: the form comes back
    assert page.locator("#person[aria-invalid=true]").count() == 1
    visit(page, "hand the key back, with errors")
    page.check("input[name=recipient][value=estate]")
    page.fill("#person", "Kim Arving")
    submit(page, "main form button[type=submit]")
    assert page.url == key_url
    main = page.inner_text("main")
    assert LEFT[lang] in main and "Kim Arving" in main
    assert page.locator("main form").count() == 0  # nothing left to do for the provider
    _log_rows_are_cards(page, mode, "key_handed_back", at_least=3)
    visit(page, "the key, handed back")
    live_db.expire_all()
    assert live_db.get(CabinetKey, key_id).status == "returned"

    page.context.clear_cookies()
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/key-cabinets")
    _log_rows_are_cards(page, mode, "key_cabinets")
    assert "Hjemmeplejen Nord" in page.locator("main [data-row]", has_text="Skab 1").inner_text()
    visit(page, "the coordinator's key cabinets")
    page.goto(key_url)
    visit(page, "the coordinator reads the handed-back key")
    submit(page, "main form button[type=submit]")  # no reason: the form comes back
    assert page.locator("#correct-reason[aria-invalid=true]").count() == 1
    visit(page, "correct the hand-back, with an error")
    page.fill("#correct-reason", "Forkert nøgle")
    submit(page, "main form button[type=submit]")
    visit(page, "the key, hand-back corrected")
    live_db.expire_all()
    key = live_db.get(CabinetKey, key_id)
    assert (key.status, key.holder) == ("handed_out", "Agnes Petersen")
