"""The property owner in a real browser, with axe on every page, at desktop width and 390 px,
in Danish and Swedish, with JavaScript on and off: signs in with the letter's code and sets a
password, grants consent and downloads the receipt, declines, and withdraws."""

import re
from datetime import timedelta

import pytest

from portal import clock
from portal.audit.services import SYSTEM
from portal.citizens.letter_codes import grouped
from portal.consent import terms
from portal.consent.invitations import issue_request
from portal.consent.models import ConsentDecision, Entrance
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_owner, make_property, make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _organisation(db, lang="da", with_user=False):
    org = make_owner(db, name="Boligselskabet Egen", language=lang, email=None)
    prop = make_property(db, owner=org, entrances=2, address="Egevej 4")
    for e in prop.entrances:
        e.consent_status = "requested"
    _request, code = issue_request(
        db, db.info.get("keyring") or _keyring(), org, [prop], now=clock.now(), actor=SYSTEM
    )
    user = make_user(db, "owner", owner_organisation_id=org.id) if with_user else None
    db.commit()
    return org, prop, code, user


def _keyring():
    from flask import current_app

    return current_app.extensions["keyring"]


def _fill_grant(page, lang):
    page.fill("#grant-signer_name", "Hanne Hansen")
    page.fill("#grant-signer_role", "Formand" if lang == "da" else "Ordförande")
    page.check("#grant-may_sign")
    page.fill("#grant-typed", terms.confirmation_phrase(lang).lower())
    page.select_option("#grant-day_1", "0")
    page.fill("#grant-starts_1", "09:00")
    page.fill("#grant-ends_1", "12:00")


def test_owner_signs_in_with_the_code_sets_a_password_and_grants_with_receipt(
    browser_page, live_server, live_db
):
    page, base = browser_page, live_server
    _org, prop, code, _user = _organisation(live_db)
    page.goto(f"{base}/owner/invitation?code={grouped(code)}")  # the QR code's link
    assert page.input_value("#code") == grouped(code)
    visit(page, "invitation code")
    page.click("main button[type=submit]")
    page.wait_for_url("**/owner/invitation/account")
    visit(page, "create account")
    page.fill("#name", "Hanne Hansen")
    page.fill("#email", "hanne@egen.example")
    page.fill("#password", "kort")
    page.fill("#confirm", "kort")
    page.click("main button[type=submit]")
    assert "Adgangskoden skal være på 12 til 200 tegn" in page.inner_text(".error-summary")
    assert page.input_value("#email") == "hanne@egen.example"
    visit(page, "create account with errors")
    page.fill("#password", "et langt kodeord til bestyrelsen")
    page.fill("#confirm", "et langt kodeord til bestyrelsen")
    page.click("main button[type=submit]")
    page.wait_for_url("**/owner/")
    assert "2 opgange venter på jeres svar" in page.inner_text("main")
    visit(page, "task list")
    page.set_viewport_size(PHONE)
    visit(page, "task list, 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    entrance = prop.entrances[0]
    page.click(f"a[href='/owner/entrances/{entrance.id}']")
    page.wait_for_url(f"**/owner/entrances/{entrance.id}")
    assert "forsikring" in page.inner_text("#terms + div")
    visit(page, "entrance")
    _fill_grant(page, "da")
    page.fill("#grant-ends_1", "08:00")  # before the start: the form comes back filled in
    submit(page, page.get_by_role("button", name="Giv samtykke"))
    assert "Tidspunkt 1: sluttidspunktet skal være efter starttidspunktet" in page.inner_text(
        ".error-summary"
    )
    assert page.input_value("#grant-signer_name") == "Hanne Hansen"
    visit(page, "entrance with errors")
    page.fill("#grant-ends_1", "12:00")
    page.get_by_role("button", name="Giv samtykke").click()
    page.wait_for_url(re.compile(r"/owner/decisions/\d+$"))
    visit(page, "decision")
    page.set_viewport_size(PHONE)
    visit(page, "decision, 390 px")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent kvittering (PDF)").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    live_db.expire_all()
    assert live_db.get(Entrance, entrance.id).consent_status == "granted"


def test_owner_declines_in_swedish(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    _org, prop, _code, user = _organisation(live_db, lang="sv", with_user=True)
    page.goto(f"{base}/language/sv?next=/sign-in/owner")
    sign_in_staff(page, base, user, PASSWORD)
    page.wait_for_url("**/owner/")
    assert "2 entréer väntar på ert svar" in page.inner_text("main")
    visit(page, "task list (sv)")
    entrance = prop.entrances[1]
    page.goto(f"{base}/owner/entrances/{entrance.id}")
    page.set_viewport_size(PHONE)
    visit(page, "entrance (sv), 390 px")
    page.fill("#decline-signer_name", "Sven Svensson")
    page.fill("#decline-signer_role", "Förvaltare")
    submit(page, page.get_by_role("button", name="Avböj"))  # no reason yet
    assert "Berätta varför ni avböjer" in page.inner_text(".error-summary")
    assert page.input_value("#decline-signer_name") == "Sven Svensson"
    visit(page, "decline with errors (sv)")
    page.fill("#decline-reason", "Styrelsen vill vänta till efter renoveringen.")
    page.get_by_role("button", name="Avböj").click()
    page.wait_for_url(re.compile(r"/owner/decisions/\d+$"))
    assert "Samtycke avböjt" in page.inner_text("main")
    visit(page, "declined (sv)")
    live_db.expire_all()
    assert live_db.get(Entrance, entrance.id).consent_status == "declined"


def test_owner_withdraws_with_javascript_off(nojs_page, live_server, live_db):
    page, base = nojs_page, live_server
    _org, prop, _code, user = _organisation(live_db, with_user=True)
    entrance = prop.entrances[0]
    sign_in_staff(page, base, user, PASSWORD)
    page.goto(f"{base}/owner/entrances/{entrance.id}")
    visit(page, "entrance, JavaScript off")
    _fill_grant(page, "da")
    page.get_by_role("button", name="Giv samtykke").click()
    page.wait_for_url(re.compile(r"/owner/decisions/\d+$"))
    page.goto(f"{base}/owner/entrances/{entrance.id}")
    visit(page, "granted entrance, JavaScript off")
    page.fill("#withdraw-signer_name", "Hanne Hansen")
    page.fill("#withdraw-signer_role", "Formand")
    submit(page, page.get_by_role("button", name="Træk samtykke tilbage"))  # not confirmed yet
    assert "Bekræft, at du forstår, hvad der sker" in page.inner_text(".error-summary")
    visit(page, "withdraw with errors, JavaScript off")
    page.check("#withdraw-understood")
    page.get_by_role("button", name="Træk samtykke tilbage").click()
    page.wait_for_url(re.compile(r"/owner/decisions/\d+$"))
    assert "Adgangen til døren ophører" in page.inner_text("main")
    # nobody had planned the fitting: no booked visit is said to be cancelled
    assert "Der var ikke booket noget monteringsbesøg" in page.inner_text("main")
    assert "booket monteringsbesøg er aflyst" not in page.inner_text("main")
    page.set_viewport_size(PHONE)
    page.axe_page.set_viewport_size(PHONE)
    visit(page, "withdrawn, JavaScript off, 390 px")
    live_db.expire_all()
    kinds = [d.kind for d in live_db.query(ConsentDecision).order_by(ConsentDecision.id)]
    assert kinds == ["granted", "withdrawn"]


def test_an_expired_request_says_so_to_the_owner_and_the_coordinator(
    browser_page, live_server, live_db, live_clock
):
    page, base = browser_page, live_server
    _org, prop, _code, user = _organisation(live_db, with_user=True)
    live_clock.advance(timedelta(days=31))  # past the request's answer-by time, no sweep yet
    sign_in_staff(page, base, user, PASSWORD)
    page.wait_for_url("**/owner/")
    main = page.inner_text("main")
    assert "Ingen opgang venter på jeres svar" in main and "Venter på jeres svar" not in main
    assert "Anmodning udløbet" in main and "Kommunen kontakter jer" in main
    assert page.get_by_role("link", name=re.compile("^Beslut")).count() == 0
    visit(page, "task list, request expired")
    page.goto(f"{base}/owner/entrances/{prop.entrances[0].id}")
    assert page.get_by_role("button", name="Afvis").count() == 0
    assert page.get_by_role("button", name="Giv samtykke").count() == 0
    visit(page, "entrance, request expired")
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.context.clear_cookies()
    sign_in_staff(page, base, coordinator, PASSWORD)
    page.goto(f"{base}/coordinator/properties/{prop.id}")
    assert "Anmodning udløbet" in page.inner_text("main")
    visit(page, "coordinator's property, request expired")
