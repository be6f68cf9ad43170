"""What the pages say about a death that replaced a report ending the care (review findings 2,
3, 9), and the approval date rule: the receipt, the request page and the coordinator's page
give the reason that is true for the date (the replaced report's date still to come, passed, or
the relative's own earlier date), in every language; a coordinator cannot approve the death with
a later date than the replaced report asked for (the decide form says so before approving); the
death's rows name the citizen and the date row says what the question asked."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.changes import decisions, services, superseding
from portal.changes.models import ChangeRequest
from tests.changes.support import COORDINATOR, NOW, fitted_citizen, make_town, on, policy
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen, 20 30 40 50"}


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _main(page) -> str:
    text = page.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _client(app, language):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _relative(app, citizen, language="en"):
    client = _client(app, language)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    return client


def _coordinator(app, db, language="en"):
    client = _client(app, language)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client


def _death_after_end_of_care(app, db, citizen, ends, given, days_later=0):
    """An undecided end of care asking for `ends`, then a death reported `days_later` days after
    NOW with the relative's date `given`."""
    p = policy(app)
    ending = services.submit(
        db,
        citizen,
        "leave",
        on(ends, reason="care_ended"),
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=p,
    )
    death = services.submit(
        db,
        citizen,
        "leave",
        on(given, **DEATH),
        source="relative",
        now=NOW + timedelta(days=days_later),
        actor=COORDINATOR,
        policy=p,
    )
    db.commit()
    return ending, death


# (ends, given, days later, the stop date, the sentence per language; {ref}: the replaced one)
CASES = {
    "report_earlier_to_come": (
        "2026-11-28",
        "2026-12-15",
        0,
        date(2026, 11, 28),
        {
            "en": "Request {ref} had asked for the care to end from 28 November 2026. A death "
            "does not make the care last longer, so this request stops home care and the keys "
            "from 28 November 2026.",
            "da": "Anmodning {ref} bad om, at plejen sluttede fra 28. november 2026. Et "
            "dødsfald gør ikke plejen længere, så denne anmodning stopper hjemmeplejen og "
            "nøglerne fra 28. november 2026.",
            "sv": "Ärende {ref} bad om att omsorgen skulle upphöra från 28 november 2026. Ett "
            "dödsfall gör inte omsorgen längre, så det här ärendet avslutar hemtjänsten och "
            "nycklarna från 28 november 2026.",
        },
    ),
    "report_earlier_passed": (
        "2026-11-24",
        "2026-12-15",
        3,
        date(2026, 11, 26),
        {
            "en": "Request {ref} had asked for the care to end from 24 November 2026, which had "
            "passed, so this request stops home care and the keys from 26 November 2026.",
            "da": "Anmodning {ref} bad om, at plejen sluttede fra 24. november 2026, som var "
            "passeret, så denne anmodning stopper hjemmeplejen og nøglerne fra 26. november "
            "2026.",
            "sv": "Ärende {ref} bad om att omsorgen skulle upphöra från 24 november 2026, som "
            "redan hade passerat, så det här ärendet avslutar hemtjänsten och nycklarna från "
            "26 november 2026.",
        },
    ),
    "relatives_date_earlier": (
        "2026-12-12",
        "2026-12-08",
        0,
        date(2026, 12, 8),
        {
            "en": "Request {ref} had asked for the care to end from 12 December 2026. This "
            "request stops home care and the keys earlier, from 8 December 2026.",
            "da": "Anmodning {ref} bad om, at plejen sluttede fra 12. december 2026. Denne "
            "anmodning stopper hjemmeplejen og nøglerne tidligere, fra 8. december 2026.",
            "sv": "Ärende {ref} bad om att omsorgen skulle upphöra från 12 december 2026. Det "
            "här ärendet avslutar hemtjänsten och nycklarna tidigare, från 8 december 2026.",
        },
    ),
}


@pytest.mark.parametrize("language", ["en", "da", "sv"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_stop_date_sentence_is_true_in_each_case(app, db, town, case, language):
    ends, given, days_later, stops, words = CASES[case]
    citizen = fitted_citizen(db, town)
    db.commit()
    ending, death = _death_after_end_of_care(app, db, citizen, ends, given, days_later)
    assert death.effective_on == stops
    sentence = words[language].format(ref=ending.reference)
    receipt = _main(_relative(app, citizen, language).get(f"/citizen/changes/r/{death.reference}"))
    assert sentence in receipt, receipt
    staff = _main(_coordinator(app, db, language).get(f"/coordinator/changes/{death.id}"))
    assert sentence in staff, staff
    # The coordinator approves with the default date (the stop date): the sentence still holds.
    decisions.approve(db, death, effective_on=stops, now=NOW, actor=COORDINATOR, policy=policy(app))
    db.commit()
    receipt = _main(_relative(app, citizen, language).get(f"/citizen/changes/r/{death.reference}"))
    assert sentence in receipt, receipt


@pytest.mark.parametrize(
    ("ends", "given", "days_later", "latest"),
    [
        ("2026-12-15", "2026-12-15", 0, date(2026, 12, 15)),  # the report's date to come
        ("2026-12-15", "2026-12-08", 0, date(2026, 12, 15)),  # the relative's earlier date
        ("2026-11-24", "2026-12-15", 3, date(2026, 11, 26)),  # passed: the day it was reported
    ],
    ids=["report_to_come", "relative_earlier", "report_passed"],
)
def test_a_death_is_not_approved_later_than_the_report_it_replaced(
    app, db, town, ends, given, days_later, latest
):
    citizen = fitted_citizen(db, town)
    db.commit()
    ending, death = _death_after_end_of_care(app, db, citizen, ends, given, days_later)
    p = policy(app)
    now = NOW + timedelta(days=days_later)
    with pytest.raises(superseding.LaterThanReplaced) as refused:
        decisions.approve(
            db, death, effective_on=latest + timedelta(days=1), now=now, actor=COORDINATOR, policy=p
        )
    assert refused.value.field == "effective_on"
    assert refused.value.params == {
        "reference": ending.reference,
        "ended": ending.effective_on,
        "latest": latest,
    }
    db.rollback()
    death = db.get(ChangeRequest, death.id)
    assert death.status == "pending"
    decisions.approve(db, death, effective_on=latest, now=now, actor=COORDINATOR, policy=p)
    assert death.status in ("approved", "done") and death.effective_on == latest


def test_a_death_that_replaced_no_end_of_care_takes_any_date(app, db, town):
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=p,
    )
    death = services.submit(
        db, citizen, "leave", on("2026-11-25", **DEATH), source="relative", now=NOW,
        actor=COORDINATOR, policy=p,
    )  # fmt: skip
    assert switch.status == "cancelled"
    assert decisions.death_limit(death, p.tz) is None
    decisions.approve(
        db, death, effective_on=date(2026, 12, 20), now=NOW, actor=COORDINATOR, policy=p
    )
    assert death.effective_on == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("language", "hint", "error"),
    [
        (
            "en",
            "Request {ref} had asked for the care to end from 15 December 2026, and a death "
            "does not make the care last longer: choose 15 December 2026 or an earlier date.",
            "Request {ref} had asked for the care to end from 15 December 2026, and a death "
            "does not make the care last longer. Choose 15 December 2026 or an earlier date.",
        ),
        (
            "da",
            "Anmodning {ref} bad om, at plejen sluttede fra 15. december 2026, og et dødsfald "
            "gør ikke plejen længere: vælg 15. december 2026 eller en tidligere dato.",
            "Anmodning {ref} bad om, at plejen sluttede fra 15. december 2026, og et dødsfald "
            "gør ikke plejen længere. Vælg 15. december 2026 eller en tidligere dato.",
        ),
    ],
)
def test_the_decide_form_warns_and_refuses_a_later_date(app, db, town, language, hint, error):
    citizen = fitted_citizen(db, town)
    db.commit()
    ending, death = _death_after_end_of_care(app, db, citizen, "2026-12-15", "2026-12-20")
    assert death.effective_on == date(2026, 12, 15)
    client = _coordinator(app, db, language)
    page = client.get(f"/coordinator/changes/{death.id}")
    assert hint.format(ref=ending.reference) in _main(page)
    assert 'value="2026-12-15"' in page.get_data(as_text=True)  # the stop date by default
    refused = client.post(
        f"/coordinator/changes/{death.id}/approve", data={"effective_on": "2026-12-20"}
    )
    assert refused.status_code == 200
    assert error.format(ref=ending.reference) in _main(refused)
    db.expire_all()
    assert db.get(ChangeRequest, death.id).status == "pending"


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        (
            "en",
            "Request {ref} had asked for the care to end from 25 November 2026, which has "
            "passed: choose today, 27 November 2026.",
        ),
        (
            "da",
            "Anmodning {ref} bad om, at plejen sluttede fra 25. november 2026, som er passeret: "
            "vælg i dag, 27. november 2026.",
        ),
        (
            "sv",
            "Ärende {ref} bad om att omsorgen skulle upphöra från 25 november 2026, som har "
            "passerat: välj i dag, 27 november 2026.",
        ),
    ],
)
def test_once_the_replaced_date_has_passed_the_form_offers_today(
    app, db, town, clock, language, hint
):
    # Decided after the replaced report's date: only today can be approved, and the form says
    # so and fills it in (not "that date or an earlier one", which would be refused as past).
    citizen = fitted_citizen(db, town)
    db.commit()
    ending, death = _death_after_end_of_care(app, db, citizen, "2026-11-25", "2026-11-24")
    db.commit()
    clock.set(NOW + timedelta(days=4))
    client = _coordinator(app, db, language)
    page = client.get(f"/coordinator/changes/{death.id}")
    assert hint.format(ref=ending.reference) in _main(page)
    assert "2026-11-25 " not in _main(page) and "or an earlier date" not in _main(page)
    assert 'value="2026-11-27"' in page.get_data(as_text=True)
    approved = client.post(
        f"/coordinator/changes/{death.id}/approve", data={"effective_on": "2026-11-27"}
    )
    assert approved.status_code == 303
    db.expire_all()
    assert db.get(ChangeRequest, death.id).effective_on == date(2026, 11, 27)


def test_a_death_approved_later_before_the_rule_says_so(app, db, town):
    # A death approved with a later date before the rule (review finding 2) is not explained
    # as a date that had passed.
    citizen = fitted_citizen(db, town)
    db.commit()
    ending, death = _death_after_end_of_care(app, db, citizen, "2026-12-15", "2026-12-20")
    death.status, death.effective_on = "approved", date(2026, 12, 20)
    db.commit()
    staff = _main(_coordinator(app, db, "da").get(f"/coordinator/changes/{death.id}"))
    assert "som var passeret" not in staff
    assert (
        f"Anmodning {ending.reference} bad om, at plejen sluttede fra 15. december 2026, men "
        "denne anmodning blev godkendt med en senere dato: den stopper hjemmeplejen og nøglerne "
        "fra 20. december 2026." in staff
    )


@pytest.mark.parametrize(
    ("language", "fact", "label"),
    [
        ("en", "{name} has died", "Home care and the keys stop from"),
        ("da", "{name} er død", "Hjemmeplejen og nøglerne stopper fra"),
        ("sv", "{name} har avlidit", "Hemtjänsten och nycklarna upphör från"),
    ],
)
def test_a_death_report_names_the_citizen_and_its_date_question(
    app, db, town, language, fact, label
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _relative(app, citizen, language)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole Olsen"})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-11-24"})
    row = f"{fact.format(name=citizen.name)} "
    check = _main(client.get("/citizen/changes/leave/check"))
    assert row in check and f"{label} 24" in check, check
    sent = client.post("/citizen/changes/leave/check")
    receipt = _main(client.get(sent.location))
    assert row in receipt and f"{label} 24" in receipt, receipt
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.reason == "deceased"))
    staff = _main(_coordinator(app, db, language).get(f"/coordinator/changes/{death.id}"))
    assert row in staff and f"{label} 24" in staff, staff


@pytest.mark.parametrize(
    ("language", "question", "fact", "label"),
    [
        (
            "en",
            "From which date does your home care end?",
            "My home care is ending",
            "Home care ends from",
        ),
        (
            "da",
            "Fra hvilken dato ophører din hjemmepleje?",
            "Min hjemmepleje ophører",
            "Hjemmeplejen ophører fra",
        ),
    ],
)
def test_an_end_of_care_reads_the_same_on_the_check_page_and_the_receipt(
    app, db, town, language, question, fact, label
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _client(app, language)
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "care_ended"})
    assert question in _main(client.get("/citizen/changes/leave/date"))
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-12-01"})
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"{fact} " in check and f"{label} 1" in check, check
    receipt = _main(client.get(client.post("/citizen/changes/leave/check").location))
    assert f"{fact} " in receipt and f"{label} 1" in receipt, receipt


@pytest.mark.parametrize(
    ("language", "tag"), [("en", "Has died"), ("da", "Er død"), ("sv", "Har avlidit")]
)
def test_the_queue_tells_a_death_from_an_end_of_care(app, db, town, language, tag):
    # Both are "leave" requests: without a tag the coordinator's list showed a death, whose
    # keys go on working until it is approved, like any other end of care.
    dead, ending = fitted_citizen(db, town), fitted_citizen(db, town)
    db.commit()
    p = policy(app)
    services.submit(
        db, ending, "leave", on("2026-12-15", reason="care_ended"), source="citizen", now=NOW,
        actor=COORDINATOR, policy=p,
    )  # fmt: skip
    services.submit(
        db, dead, "leave", on("2026-11-24", **DEATH), source="relative", now=NOW,
        actor=COORDINATOR, policy=p,
    )  # fmt: skip
    db.commit()
    queue = _coordinator(app, db, language).get("/coordinator/changes").get_data(as_text=True)
    rows = {
        name: row
        for row in queue.split("<tr data-row>")[1:]
        for name in (dead.name, ending.name)
        if name in row
    }
    assert f'<span class="badge badge-warning">{tag}</span>' in rows[dead.name]
    assert tag not in rows[ending.name]
