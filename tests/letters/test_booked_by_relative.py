"""The booking confirmation letter says when a relative booked on the citizen's behalf, and
tells the citizen about the day-before reminder only when one goes to their own email."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.booking.emails import gets_reminder
from portal.letters import booking_letter
from tests.factories import NOW, make_citizen
from tests.letters.conftest import pdf_text
from tests.letters.support import make_appointment

CPH = ZoneInfo("Europe/Copenhagen")


def _letter(db, district, *, booked_by, email, lang="da"):
    citizen = make_citizen(db, district=district, language=lang, name="Leif Winther")
    citizen.email = email
    appointment = make_appointment(db, citizen)
    appointment.booked_by = booked_by
    db.commit()
    return pdf_text(booking_letter.booking_confirmation_pdf(db, appointment.id, now=NOW))


def test_a_relatives_booking_says_so_and_the_reminder_goes_to_the_citizen(app, db, district):
    text = " ".join(
        _letter(
            db, district, booked_by="relative:4 Karen Winther", email="leif@example.org"
        ).split()
    )
    assert "Kære Leif Winther" in text
    assert "Karen Winther har bestilt denne tid på dine vegne" in text
    assert "Tak for din bestilling" not in text
    assert "Dagen før sender vi en påmindelse til din e-mailadresse." in text


@pytest.mark.parametrize(
    ("lang", "thanks", "on_behalf"),
    [("da", "Tak for din bestilling", "på dine vegne"), ("sv", "Tack för din bokning", "åt dig")],
)
def test_the_citizens_own_booking_thanks_them_and_no_email_means_no_reminder(
    app, db, district, lang, thanks, on_behalf
):
    text = " ".join(_letter(db, district, booked_by="citizen:1", email=None, lang=lang).split())
    assert thanks in text and on_behalf not in text
    assert "påmindelse" not in text and "påminnelse" not in text


def test_the_reminder_goes_only_to_an_email_for_a_time_booked_before_the_day_before(
    app, db, district
):
    citizen = make_citizen(db, district=district)
    appointment = make_appointment(db, citizen)  # 1 December 2026, booked 23 November
    db.flush()
    assert not gets_reminder(appointment, CPH)  # no email
    citizen.email = "c@example.org"
    assert gets_reminder(appointment, CPH)
    appointment.changed_at = datetime(2026, 11, 29, 22, 59, tzinfo=ZoneInfo("UTC"))
    assert gets_reminder(appointment, CPH)  # 23:59 on 29 November in Copenhagen
    appointment.changed_at = datetime(2026, 11, 29, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert not gets_reminder(appointment, CPH)  # moved on the day the reminders go out
    appointment.status = "cancelled"
    appointment.changed_at = None
    assert not gets_reminder(appointment, CPH)
