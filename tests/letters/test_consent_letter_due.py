"""A consent letter is printed when the coordinator asks for it: by then the owner may have
decided, or the request expired or was cancelled. The letter is then refused with the reason,
checked with the rule that chose the request (portal.consent.requests.why_no_letter)."""

from datetime import timedelta

import pytest
from flask import current_app

from portal.audit.services import Actor
from portal.consent import requests
from portal.consent.models import ConsentStatus, RequestStatus
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.consent.test_request_pages import street  # noqa: F401 (fixture)
from tests.factories import NOW


@pytest.fixture
def sent(db, keyring, street):  # noqa: F811
    _, props = street
    made = requests.send_requests(
        db,
        keyring,
        [props[2].id],  # the owner without email: a letter is the only way to reach them
        config=current_app.config,
        now=NOW,
        actor=Actor("user", None, "test"),
    )
    db.commit()
    return made[0]


def _decide(db, request):
    for prop in request.properties:
        for entrance in prop.entrances:
            entrance.consent_status = ConsentStatus.GRANTED


def _cancel(db, request):
    request.status = RequestStatus.CANCELLED


def _expire(db, request):
    request.status = RequestStatus.EXPIRED


@pytest.mark.parametrize(
    ("change", "reason", "words"),
    [
        (_decide, "decided", "The owner has answered for every entrance in this request"),
        (_cancel, "cancelled", "This request was cancelled"),
        (_expire, "expired", "This request has expired"),
    ],
)
def test_a_consent_letter_no_longer_due_is_refused_with_the_reason(
    coordinator,  # noqa: F811
    db,
    sent,
    clock,
    change,
    reason,
    words,
):
    url = f"/coordinator/letters/consent/{sent.id}.pdf"
    assert coordinator.get(url).data.startswith(b"%PDF")
    assert requests.why_no_letter(sent, NOW) is None

    change(db, sent)
    db.commit()

    assert requests.why_no_letter(sent, NOW) == reason
    refused = coordinator.get(url)
    assert refused.status_code == 409 and refused.mimetype == "text/html"
    assert words in refused.get_data(as_text=True)


def test_a_request_past_its_answer_by_time_has_no_letter_before_the_sweep(
    coordinator,  # noqa: F811
    db,
    sent,
    clock,
):
    sent.expires_at = NOW - timedelta(minutes=1)  # still open: the hourly job has not run
    db.commit()
    refused = coordinator.get(f"/coordinator/letters/consent/{sent.id}.pdf")
    assert refused.status_code == 409 and "This request has expired" in refused.get_data(
        as_text=True
    )


def test_one_entrance_still_waiting_keeps_the_letter(db, sent):
    prop = sent.properties[0]
    prop.entrances[0].consent_status = ConsentStatus.DECLINED
    db.commit()
    assert len(prop.entrances) == 2 and requests.why_no_letter(sent, NOW) is None
