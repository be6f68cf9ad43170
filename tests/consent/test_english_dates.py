"""An owner who reads English gets the portal's British dates (day month year, 24-hour
clock) on their receipt and in their e-mail, as on the web pages, not Babel's US English."""

import io

import pytest

from portal.consent import emails
from tests.consent.owner_support import WINDOWS, Org, signature, terms_now
from tests.factories import NOW


@pytest.fixture
def org(db, keyring):
    return Org(db, keyring, lang="en")


def test_an_english_receipt_dates_the_signature_day_month_year_on_a_24_hour_clock(db, org):
    from pypdf import PdfReader

    from portal.consent import decisions

    entrance = org.first.entrances[0]
    at = NOW.replace(hour=14)  # 15:00 in Copenhagen: a US format would say 3:00 PM
    decision = decisions.grant(
        db,
        org.who,
        entrance.id,
        entrance.version,
        signature("en"),
        WINDOWS,
        current_terms=terms_now("en"),
        now=at,
    )
    reader = PdfReader(io.BytesIO(decision.receipt_pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Receipt: consent given" in text
    assert "23 November 2026" in text and "15:00" in text, text[:400]
    assert "November 23" not in text and "PM" not in text


def test_an_english_consent_email_gives_the_answer_by_date_day_month_year(db, org):
    _subject, body = emails.compose("request", org.request, org.code)
    day = org.request.expires_at
    assert f"{day.day} {day:%B %Y}" in body, body
    assert f"{day:%B} {day.day}," not in body
