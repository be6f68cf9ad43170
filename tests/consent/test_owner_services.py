"""The owner's services without HTTP: every transition, and each refusal with its reason."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditRecord
from portal.consent import blanket, decisions, signals
from portal.consent.decision_support import (
    BadWindows,
    DecisionConflict,
    NotAllowed,
    NotYours,
    PropertySold,
    SignatureIncomplete,
    TermsChanged,
    Window,
)
from portal.consent.models import (
    ConsentDecision,
    FitterWindow,
    PropertyEvent,
    RequestStatus,
)
from tests.consent.owner_support import WINDOWS, Org, signature, terms_now
from tests.factories import NOW, make_owner, make_property

TZ = "Europe/Copenhagen"


@pytest.fixture
def org(db, keyring):
    return Org(db, keyring)


def _grant(db, org, entrance, **kw):
    return decisions.grant(
        db,
        org.who,
        entrance.id,
        kw.pop("version", entrance.version),
        kw.pop("sig", signature()),
        kw.pop("windows", WINDOWS),
        current_terms=kw.pop("current_terms", terms_now()),
        now=kw.pop("now", NOW),
    )


def _withdraw(db, org, entrance, **kw):
    return decisions.withdraw(
        db,
        org.who,
        entrance.id,
        entrance.version,
        reason="Renovering",
        signer_name="Hanne",
        signer_role="Formand",
        lang="da",
        notice_days=30,
        timezone=TZ,
        now=kw.get("now", NOW),
    )


def test_a_grant_is_signed_pins_the_terms_keeps_a_receipt_and_tells_the_locksmith(db, org):
    heard = []

    def receiver(session, **kw):
        heard.append(kw)

    entrance = org.first.entrances[0]
    with signals.entrance_granted.connected_to(receiver):
        decision = _grant(db, org, entrance)
    assert entrance.consent_status == "granted"
    assert decision.signer_name == "Hanne Hansen" and decision.may_sign_for_org
    assert decision.terms_hash == signature().terms_hash and decision.terms_version.endswith(":da")
    assert decision.receipt_pdf.startswith(b"%PDF") and len(decision.receipt_sha256) == 64
    assert decision.request_id == org.request.id
    assert heard[0]["entrance"] is entrance
    assert heard[0]["windows"] == [(0, time(9), time(12)), (3, time(13), time(15))]
    assert db.scalar(select(FitterWindow.id).where(FitterWindow.entrance_id == entrance.id))
    kinds = db.scalars(select(PropertyEvent.kind).where(PropertyEvent.entrance_id == entrance.id))
    assert list(kinds) == ["granted"]
    assert db.scalar(select(AuditRecord.id).where(AuditRecord.action == "consent.granted"))


def test_a_grant_on_changed_terms_or_without_authority_or_phrase_is_refused(db, org):
    entrance = org.first.entrances[0]
    with pytest.raises(TermsChanged):
        _grant(db, org, entrance, current_terms=terms_now() + " Ny sætning.")
    with pytest.raises(SignatureIncomplete):
        _grant(db, org, entrance, sig=signature(may_sign=False))
    with pytest.raises(SignatureIncomplete):
        _grant(db, org, entrance, sig=signature(typed="ja tak"))
    with pytest.raises(TermsChanged):  # Swedish page, the Danish text's hash: not what was shown
        _grant(
            db,
            org,
            entrance,
            sig=signature("sv", terms_hash=signature("da").terms_hash),
            current_terms=terms_now("sv"),
        )
    assert entrance.consent_status == "requested"


def test_a_grant_in_swedish_pins_the_swedish_terms(db, org):
    decision = _grant(
        db, org, org.first.entrances[0], sig=signature("sv"), current_terms=terms_now("sv")
    )
    assert decision.terms_version.endswith(":sv")
    assert decision.terms_hash != signature("da").terms_hash


def test_bad_windows_are_refused(db, org):
    entrance = org.first.entrances[0]
    with pytest.raises(BadWindows):
        _grant(db, org, entrance, windows=[Window(2, time(12), time(9))])
    with pytest.raises(BadWindows):
        _grant(db, org, entrance, windows=[Window(7, time(9), time(12))])
    with pytest.raises(BadWindows):
        _grant(
            db, org, entrance, windows=[Window(d % 7, time(8 + d), time(9 + d)) for d in range(8)]
        )


def test_decline_needs_a_pending_entrance_and_answers_the_request_when_all_are_decided(db, org):
    first, second, third = org.entrances
    decisions.decline(
        db,
        org.who,
        first.id,
        first.version,
        reason="Nej",
        signer_name="H",
        signer_role="F",
        lang="da",
        now=NOW,
    )
    assert first.consent_status == "declined"
    with pytest.raises(NotAllowed):
        decisions.decline(
            db,
            org.who,
            first.id,
            first.version,
            reason="Nej",
            signer_name="H",
            signer_role="F",
            lang="da",
            now=NOW,
        )
    _grant(db, org, second)
    assert org.request.status == RequestStatus.OPEN
    _grant(db, org, third)
    assert org.request.status == RequestStatus.ANSWERED
    with pytest.raises(NotAllowed):
        decisions.decline(
            db,
            org.who,
            second.id,
            second.version,
            reason="x",
            signer_name="H",
            signer_role="F",
            lang="da",
            now=NOW,
        )


def test_withdrawal_ends_door_rights_after_the_notice_and_reports_cancelled_jobs(db, org):
    entrance = org.first.entrances[0]
    with pytest.raises(NotAllowed):
        _withdraw(db, org, entrance)
    _grant(db, org, entrance)
    heard = []

    def locksmith(session, **kw):
        heard.append(kw)
        return {"cancelled_jobs": 1}

    with signals.entrance_withdrawn.connected_to(locksmith):
        decision, cancelled = _withdraw(db, org, entrance, now=NOW + timedelta(days=1))
    assert cancelled == 1 and heard[0]["on"] == date(2026, 12, 24)
    assert entrance.consent_status == "withdrawn" and entrance.consent_ends_on == date(2026, 12, 24)
    assert decision.notice_ends_on == date(2026, 12, 24) and decision.receipt_pdf[:4] == b"%PDF"
    # Granting again later is a new decision and clears the end date.
    _grant(db, org, entrance)
    assert entrance.consent_ends_on is None


def test_a_stale_page_or_another_organisation_or_a_sold_property_is_refused(db, org):
    entrance = org.first.entrances[0]
    with pytest.raises(DecisionConflict):
        _grant(db, org, entrance, version=entrance.version - 1)
    stranger = make_property(db, owner=make_owner(db))
    with pytest.raises(NotYours):
        _grant(db, org, stranger.entrances[0])
    with pytest.raises(NotYours):
        _grant(db, org, type("E", (), {"id": 999999, "version": 1})())
    org.first.owner = make_owner(db, name="Køber A/S")
    db.flush()
    with pytest.raises(PropertySold):
        _grant(db, org, entrance)
    assert (
        db.scalar(select(ConsentDecision.id).where(ConsentDecision.entrance_id == entrance.id))
        is None
    )


def test_two_signers_at_once_leave_exactly_one_decision(app, db, keyring):
    """Both pages show the same version; both signers submit; the second write finds the
    version gone (StaleDataError inside the service) and is told somebody decided first."""
    from portal.consent.models import Entrance
    from portal.extensions import db as _db

    org = Org(db, keyring)
    entrance_id, version = org.first.entrances[0].id, org.first.entrances[0].version
    db.commit()
    other = _db.session.session_factory()
    try:
        other.get(Entrance, entrance_id)  # the second signer's session has read the entrance
        _grant(db, org, db.get(Entrance, entrance_id), version=version)
        db.commit()
        theirs = decisions.Decider(org.user.id, org.org.id, org.user.actor)
        with pytest.raises(DecisionConflict):
            decisions.decline(
                other,
                theirs,
                entrance_id,
                version,
                reason="Nej",
                signer_name="B",
                signer_role="N",
                lang="da",
                now=NOW,
            )
    finally:
        other.rollback()
        other.close()
    db.expire_all()
    kinds = db.scalars(
        select(ConsentDecision.kind).where(ConsentDecision.entrance_id == entrance_id)
    )
    assert list(kinds) == ["granted"]


def test_a_blanket_consent_grants_everything_now_and_later_and_withdraws_together(db, org):
    first, second, third = org.entrances
    decisions.decline(
        db,
        org.who,
        first.id,
        first.version,
        reason="Nej",
        signer_name="H",
        signer_role="F",
        lang="da",
        now=NOW,
    )
    granted = []
    with signals.entrance_granted.connected_to(lambda s, **kw: granted.append(kw["entrance"])):
        consent = blanket.grant_blanket(
            db, org.who, signature(), [], current_terms=terms_now(), now=NOW
        )
    assert {e.id for e in granted} == {first.id, second.id, third.id}
    assert consent.receipt_pdf[:4] == b"%PDF"
    with pytest.raises(blanket.BlanketExists):
        blanket.grant_blanket(db, org.who, signature(), [], current_terms=terms_now(), now=NOW)
    later = make_property(db, owner=org.org)
    assert blanket.apply_to_new_entrance(db, later.entrances[0], now=NOW, actor=org.user.actor)
    assert later.entrances[0].consent_status == "granted"
    withdrawn, _n = blanket.withdraw_blanket(
        db,
        org.who,
        reason="",
        signer_name="H",
        signer_role="F",
        lang="da",
        notice_days=30,
        timezone=TZ,
        now=NOW,
    )
    assert withdrawn.withdrawal_receipt_pdf[:4] == b"%PDF"
    assert {e.consent_status for e in [*org.entrances, later.entrances[0]]} == {"withdrawn"}
    with pytest.raises(blanket.NoBlanket):
        blanket.withdraw_blanket(
            db,
            org.who,
            reason="",
            signer_name="H",
            signer_role="F",
            lang="da",
            notice_days=30,
            timezone=TZ,
            now=NOW,
        )


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_receipt_is_a_tagged_pdf_in_the_signers_language(db, org, lang):
    import io

    from pypdf import PdfReader

    decision = _grant(
        db, org, org.first.entrances[0], sig=signature(lang), current_terms=terms_now(lang)
    )
    reader = PdfReader(io.BytesIO(decision.receipt_pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    text = " ".join(page.extract_text() for page in reader.pages)
    heading = {"da": "Kvittering: samtykke givet", "sv": "Kvitto: samtycke givet"}[lang]
    assert heading in text and "Hanne Hansen" in text and decision.terms_hash[:16] in text


def test_two_blanket_consents_at_once_leave_one(app, db, keyring, monkeypatch):
    """Both signers saw no blanket; the database lets one in (an organisation with nothing
    left to grant, so no entrance version can stop the second)."""
    from portal.consent.models import BlanketConsent
    from portal.extensions import db as _db

    org = Org(db, keyring)
    for entrance in org.entrances:
        entrance.consent_status = "granted"
    db.commit()
    other = _db.session.session_factory()
    try:
        blanket.grant_blanket(db, org.who, signature(), [], current_terms=terms_now(), now=NOW)
        db.commit()
        # The second signer's check ran before the first committed: it saw nothing.
        monkeypatch.setattr(blanket, "active_blanket", lambda session, org_id: None)
        with pytest.raises(blanket.BlanketExists):
            blanket.grant_blanket(
                other, org.who, signature(), [], current_terms=terms_now(), now=NOW
            )
    finally:
        other.rollback()
        other.close()
    assert db.scalar(select(func.count()).select_from(BlanketConsent)) == 1


def test_the_register_puts_new_and_bought_entrances_under_the_owners_blanket(db, org):
    """A blanket consent covers present and future properties: an entrance the coordinator
    registers later, and a building the organisation buys, are granted without a new request."""
    from portal.audit.services import SYSTEM
    from portal.consent import register

    blanket.grant_blanket(db, org.who, signature(), [], current_terms=terms_now(), now=NOW)
    entrance = register.save_entrance(
        db, None, org.entrances[0].property_id, {"label": "Gården"}, now=NOW, actor=SYSTEM
    )
    assert entrance.consent_status == "granted"
    elsewhere = make_property(db, owner=make_owner(db, name="Sælger A/S"))
    assert elsewhere.entrances[0].consent_status != "granted"
    register.save_property(db, elsewhere.id, {"owner_id": org.org.id}, now=NOW, actor=SYSTEM)
    assert elsewhere.entrances[0].consent_status == "granted"


def test_an_eid_organisation_number_finds_the_organisations_owner_account(db, org):
    """MitID Erhverv / BankID give the organisation number: it signs in as that organisation's
    owner account (written with or without dashes), and never as another organisation's."""
    from portal.accounts.oidc import ORGANISATION_LOOKUPS
    from portal.consent.owner_accounts import owner_by_org_number

    assert owner_by_org_number in ORGANISATION_LOOKUPS
    org.org.org_number = "12-34-56-78"
    other = make_owner(db, name="Anden A/S")
    other.org_number = "87654321"
    db.flush()
    assert owner_by_org_number(db, "12345678").id == org.user.id
    assert owner_by_org_number(db, "12-34-56-78").id == org.user.id
    assert owner_by_org_number(db, "87654321") is None  # nobody of theirs has come in yet
    assert owner_by_org_number(db, "") is None
