"""The booking confirmation letter: day and time in words, locksmith, door password, next steps."""

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader

from portal.letters import booking_letter
from tests.factories import NOW, make_citizen
from tests.letters.conftest import pdf_text
from tests.letters.support import make_appointment


def test_confirmation_in_danish(app, db, district):
    citizen = make_citizen(db, district=district, language="da", name="Bent Hansen")
    appointment = make_appointment(db, citizen, locksmith_name="Lars Låsesmed", password="blå hest")
    db.commit()
    pdf = booking_letter.booking_confirmation_pdf(db, appointment.id, now=NOW)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # one sheet
    text = pdf_text(pdf)
    assert "tirsdag den 1. december 2026" in text  # 09:00 UTC is 10:00 in Copenhagen
    assert "fra kl. 10.00 til kl. 10.30" in text
    assert "Lars" in text and "Låsesmed" not in text.split("Lars", 1)[1][:12]  # first name only
    assert "blå hest" in text
    assert "Hvad sker der nu?" in text and "cirka 30 minutter" in text
    assert appointment.reference in text
    assert "Kære Bent Hansen" in text


def test_confirmation_follows_the_citizens_language(app, db, district):
    citizen = make_citizen(db, district=district, language="sv")
    appointment = make_appointment(db, citizen)
    db.commit()
    html = booking_letter.booking_confirmation_html(db, appointment.id, now=NOW)
    assert '<html lang="sv">' in html and "tisdag 1 december 2026" in html
    with app.test_request_context(), force_locale("sv"):
        assert _("The door password") in html


def test_cancelled_appointment_has_no_confirmation(app, db, district):
    import pytest

    citizen = make_citizen(db, district=district)
    appointment = make_appointment(db, citizen)
    appointment.status = "cancelled"
    db.commit()
    with pytest.raises(booking_letter.AppointmentNotFound):
        booking_letter.booking_confirmation_pdf(db, appointment.id, now=NOW)
