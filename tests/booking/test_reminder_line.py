"""The confirmation page says truthfully who gets the day-before reminder: it goes to the
citizen's own email only, so a relative who booked reads that they get none."""

import pytest

from tests.booking.support import make_world, walk_to_check
from tests.booking.test_relative_wording import RELATIVE, main_text
from tests.conftest import isolated_client
from tests.helpers import sign_in_citizen

DETAILS = {"opener": "self", "call_phone": "20 12 34 56", "interpreter": "no"}


def _confirmation(app, db, *, relative, email, lang="da"):
    world = make_world(db)
    citizen = world.citizens[0]
    citizen.name, citizen.email = "Leif Winther", email
    db.commit()
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE=lang)
    sign_in_citizen(client, citizen, relative=relative)
    walk_to_check(client, details=DETAILS)
    done = client.post("/citizen/booking/check")
    assert done.status_code == 303, done.get_data(as_text=True)[:500]
    return main_text(client.get(done.headers["Location"]))


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("da", "Dagen før får Leif Winther en påmindelse på sin egen e-mail. Du får ingen påmindelse."),
        ("sv", "Dagen före får Leif Winther en påminnelse via mejl till sin egen adress. Du får ingen påminnelse."),
    ],
)  # fmt: skip
def test_a_relative_reads_that_the_reminder_goes_to_the_citizen_only(app, db, clock, lang, line):
    assert line in _confirmation(app, db, relative=RELATIVE, email="leif@example.org", lang=lang)


def test_no_reminder_is_promised_without_the_citizens_email(app, db, clock):
    text = _confirmation(app, db, relative=RELATIVE, email=None)
    assert "påmindelse" not in text
    own = _confirmation(app, db, relative=None, email="leif@example.org")
    assert "Vi sender dig en e-mail dagen før som påmindelse." in own
