"""The audit browser through HTTP: search, keyset pages, verification states, bad input."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from portal.audit import checkpoints
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM, Actor, record
from tests.factories import make_user
from tests.helpers import sign_in_staff

ANNA = Actor("user", 7, "Anna Ørsted")
BO = Actor("user", 8, "Bo 100%_Hansen")


@pytest.fixture
def coordinator_client(client, db):
    sign_in_staff(client, make_user(db, "coordinator"))
    client.get("/language/en")
    return client


def _log(db, now):
    """Twelve records over three days by two people about citizens and appointments."""
    for i in range(12):
        record(
            db,
            ANNA if i % 2 else BO,
            "citizen.viewed" if i % 3 == 0 else "appointment.booked",
            now=now + timedelta(days=i // 4, minutes=i),
            object_type="citizen" if i % 3 == 0 else "appointment",
            object_id=i,
            data={"purpose": "case_handling", "page": "citizens.detail", "i": i},
        )
    db.commit()


def _seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'data-seq="(\d+)"', html)]


def _states(html: str) -> dict[int, str]:
    return {int(a): b for a, b in re.findall(r'data-seq="(\d+)" data-state="(\w+)"', html)}


def test_the_newest_records_first(coordinator_client, db, now):
    _log(db, now)
    html = coordinator_client.get("/coordinator/audit").get_data(as_text=True)
    seqs = _seqs(html)
    assert seqs[:3] == sorted(seqs, reverse=True)[:3] and max(seqs) == db.scalar(
        select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1)
    )


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        # By name: the signed-in coordinator's own records may carry user id 7 or 8 too.
        ("actor=ørsted", lambda r: r.actor.endswith("Anna Ørsted")),
        ("actor=100%_", lambda r: r.actor.endswith("Bo 100%_Hansen")),
        ("actor=%25", lambda r: "%" in r.actor),
        ("action=citizen.", lambda r: r.action == "citizen.viewed"),
        ("action=appointment.booked", lambda r: r.action == "appointment.booked"),
        ("object_type=citizen&object_id=3", lambda r: r.object_id == "3"),
    ],
)
def test_search_by_who_what_and_object(coordinator_client, db, now, query, wanted):
    _log(db, now)
    html = coordinator_client.get(f"/coordinator/audit?{query}").get_data(as_text=True)
    records = db.scalars(select(AuditRecord).where(AuditRecord.action != "staff.signed_in"))
    expected = sorted((r.seq for r in records if wanted(r)), reverse=True)
    assert expected and _seqs(html) == expected


def test_search_by_period(coordinator_client, db, now):
    _log(db, now)
    day = (now + timedelta(days=1)).date().isoformat()
    html = coordinator_client.get(f"/coordinator/audit?start={day}&end={day}").get_data(
        as_text=True
    )
    records = db.scalars(select(AuditRecord).where(AuditRecord.data["i"].is_not(None))).all()
    expected = sorted((r.seq for r in records if 4 <= r.data.get("i", -1) <= 7), reverse=True)
    assert _seqs(html) == expected


def test_keyset_pages_cover_everything_once(coordinator_client, db, now, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    _log(db, now)
    total = db.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1))
    seen, url = [], "/coordinator/audit?action=a"
    while url:
        html = coordinator_client.get(url).get_data(as_text=True)
        seen += _seqs(html)
        found = re.search(r'href="(/coordinator/audit\?[^"]*before=\d+[^"]*)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    appointments = db.scalars(
        select(AuditRecord.seq).where(AuditRecord.action.like("a%")).order_by(AuditRecord.seq)
    ).all()
    assert sorted(seen) == list(appointments) and len(seen) == len(set(seen)) <= total
    assert "Newest records" in coordinator_client.get("/coordinator/audit?before=3").get_data(
        as_text=True
    )


def test_states_before_and_after_a_checkpoint_and_when_broken(coordinator_client, db, now, app):
    _log(db, now)
    html = coordinator_client.get("/coordinator/audit").get_data(as_text=True)
    assert set(_states(html).values()) == {"unsigned"}
    assert "No checkpoint has been signed yet" in html

    row = checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.commit()
    record(db, SYSTEM, "later", now=now + timedelta(days=5))
    db.commit()
    states = _states(coordinator_client.get("/coordinator/audit").get_data(as_text=True))
    assert all(s == ("verified" if seq <= row.seq else "unsigned") for seq, s in states.items())
    assert "unsigned" in states.values() and "verified" in states.values()

    db.execute(update(AuditRecord).where(AuditRecord.seq == 4).values(actor="user:1 Mallory"))
    db.commit()
    states = _states(coordinator_client.get("/coordinator/audit").get_data(as_text=True))
    assert states[4] == "broken" and states[5] == "verified"


def test_a_truncated_log_shows_broken_under_the_checkpoint(coordinator_client, db, now, app):
    _log(db, now)
    checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.commit()
    db.execute(delete(AuditRecord).where(AuditRecord.seq > 8))
    db.commit()
    html = coordinator_client.get("/coordinator/audit").get_data(as_text=True)
    assert "The audit chain is broken" in html
    assert set(_states(html).values()) == {"broken"}


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-02-30",
        "start=yesterday&end=%00",
        "end=" + "9" * 500,
        "start=2026-03-02&end=2026-03-01",
        "actor=" + "x" * 1000,
        "before=-1",
        "before=99999999999999999999",
        "object_id=%00%00",
        "action=<script>alert(1)</script>",
        "page=²",
    ],
)
def test_bad_input_is_answered_without_an_error(coordinator_client, db, now, query):
    _log(db, now)
    response = coordinator_client.get(f"/coordinator/audit?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_a_bad_date_says_so_next_to_the_field(coordinator_client, db, now):
    _log(db, now)
    html = coordinator_client.get("/coordinator/audit?start=2026-02-30").get_data(as_text=True)
    assert "Enter or choose a valid date" in html and "Error:" in html
    html = coordinator_client.get("/coordinator/audit?start=2026-03-02&end=2026-03-01").get_data(
        as_text=True
    )
    assert "must not be before the start date" in html


def test_htmx_gets_the_results_only(coordinator_client, db, now):
    _log(db, now)
    response = coordinator_client.get("/coordinator/audit", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "data-seq" in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(("lang", "text"), [("da", "Revisionslog"), ("sv", "Granskningslogg")])
def test_the_page_speaks_danish_and_swedish(coordinator_client, db, now, lang, text):
    _log(db, now)
    coordinator_client.get(f"/language/{lang}")
    assert text in coordinator_client.get("/coordinator/audit").get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reversed_period_lists_nothing_and_says_why(coordinator_client, db, now, htmx):
    _log(db, now)
    # The end left out would search from the start on: the records of the later days.
    start = (now + timedelta(days=1)).date().isoformat()
    end = now.date().isoformat()
    headers = {"HX-Request": "true"} if htmx else {}
    response = coordinator_client.get(
        f"/coordinator/audit?start={start}&end={end}", headers=headers
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _seqs(html) == []
    assert "No records are listed until the search is corrected." in html
    summary = html[html.index("error-summary") :]
    assert 'href="#end"' in summary and "must not be before the start date" in summary
    period = html[html.index('id="audit-period"') :]
    assert 'aria-invalid="true"' in period
    if htmx:
        assert "<html" not in html and 'id="audit-period" hx-swap-oob="true"' in html
    else:
        assert "hx-swap-oob" not in html and "<title>Error:" in html


def test_a_date_that_is_not_one_lists_nothing(coordinator_client, db, now):
    _log(db, now)
    html = coordinator_client.get(
        "/coordinator/audit?start=2026-02-30", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert _seqs(html) == [] and "Enter or choose a valid date" in html


def test_a_good_search_clears_the_period_messages_for_htmx(coordinator_client, db, now):
    _log(db, now)
    day = now.date().isoformat()
    html = coordinator_client.get(
        f"/coordinator/audit?start={day}&end={day}", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'id="audit-period" hx-swap-oob="true"' in html and _seqs(html)
    assert "error-summary" not in html and 'aria-invalid="true"' not in html


KARIN = Actor("user", 5, "Karin K (coordinator)")


@pytest.mark.parametrize(
    ("lang", "signed_in", "posted", "role"),
    [
        ("da", "Logget ind", "Brevudsendelse sendt", "Karin K (Koordinator)"),
        ("sv", "Loggade in", "Brevutskick skickat", "Karin K (Samordnare)"),
        ("en", "Signed in", "Letter batch posted", "Karin K (Coordinator)"),
    ],
)
def test_what_and_who_in_the_pages_language(
    coordinator_client, db, now, lang, signed_in, posted, role
):
    record(db, KARIN, "sign_in", now=now, object_type="user", object_id=5)
    record(db, KARIN, "letters.batch_posted", now=now, object_type="letter_batch", object_id=2)
    record(db, SYSTEM, "some.future_action", now=now)
    db.commit()
    coordinator_client.get(f"/language/{lang}")
    html = coordinator_client.get("/coordinator/audit?actor=Karin").get_data(as_text=True)
    assert signed_in in html and posted in html
    assert html.count("None") == 0  # the verification tag keeps its own label
    # The codes stay beside the labels: the search box takes them, and the record keeps them.
    assert '<span class="form-hint"><code>sign_in</code></span>' in html
    assert '<span class="form-hint"><code>letters.batch_posted</code></span>' in html
    if lang != "en":
        assert (
            role in html and "(coordinator)" not in html.split('data-actor="')[1].split(">", 1)[1]
        )
    assert 'data-actor="user:5 Karin K (coordinator)"' in html and "<code>user:5</code>" in html
    html = coordinator_client.get("/coordinator/audit?action=some.").get_data(as_text=True)
    automatic = {"da": "Automatisk", "sv": "Automatiskt", "en": "Automatic"}[lang]
    assert "<code>some.future_action</code>" in html and f">{automatic}<" in html


@pytest.mark.parametrize(
    ("lang", "citizen", "for_", "relative"),
    [
        ("da", "Borger nr. 7", "på vegne af Borger nr. 9", "Rita Relativ (Pårørende)"),
        ("sv", "Brukare nr 7", "för Brukare nr 9", "Rita Relativ (Anhörig)"),
    ],
)
def test_a_citizen_is_named_by_number_and_not_on_behalf_of_themself(
    coordinator_client, db, now, lang, citizen, for_, relative
):
    """A citizen is stored without a name ("citizen:7"); one the register no longer has (or
    never had) is shown by number. Signing in themself they act for themself, which the log
    does not spell out. A relative acts on a citizen's behalf."""
    record(db, Actor("citizen", 7, on_behalf_of="citizen:7"), "sign_in", now=now)
    record(db, Actor("relative", 4, "Rita Relativ", on_behalf_of="citizen:9"), "sign_in", now=now)
    db.commit()
    coordinator_client.get(f"/language/{lang}")
    html = coordinator_client.get("/coordinator/audit").get_data(as_text=True)
    cells = dict(re.findall(r'<td data-actor="([^"]+)">(.*?)</td>', html, re.S))
    assert cells["citizen:7"].startswith(citizen + "<br>") and "<br><span" in cells["citizen:7"]
    assert cells["citizen:7"].count("<br>") == 1  # the code, and no "on behalf of" line
    assert "<code>citizen:7</code>" in cells["citizen:7"]
    cell = cells["relative:4 Rita Relativ"]
    assert cell.startswith(relative + "<br>") and for_ in cell
