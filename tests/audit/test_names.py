"""The audit log names the people it mentions: a citizen by name (stored only as "citizen:7"),
a relative with "(Relative)" as staff have their role, on behalf of the citizen by name; the
names of a whole page come in one query. A relative's failed sign-in is recorded as theirs,
on the code's citizen's behalf, without the date of birth that was typed."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import Actor, record
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_staff, statements


@pytest.fixture
def coordinator_client(client, db):
    sign_in_staff(client, make_user(db, "coordinator"))
    return client


def _cells(html):
    return dict(re.findall(r'<td data-actor="([^"]+)">(.*?)</td>', html, re.S))


@pytest.mark.parametrize(
    ("lang", "relative", "for_"),
    [
        ("da", "Karen Winther (Pårørende)", "på vegne af Leif Winther"),
        ("sv", "Karen Winther (Anhörig)", "för Leif Winther"),
        ("en", "Karen Winther (Relative)", "on behalf of Leif Winther"),
    ],
)
def test_a_relative_acts_on_behalf_of_the_citizen_by_name(
    coordinator_client, db, now, lang, relative, for_
):
    leif = make_citizen(db, name="Leif Winther")
    db.flush()
    record(db, Actor("relative", 41, "Karen Winther", f"citizen:{leif.id}"), "sign_in", now=now)
    record(db, Actor("citizen", leif.id, on_behalf_of=f"citizen:{leif.id}"), "sign_in", now=now)
    db.commit()
    coordinator_client.get(f"/language/{lang}")
    cells = _cells(coordinator_client.get("/coordinator/audit").get_data(as_text=True))
    cell = cells["relative:41 Karen Winther"]
    assert cell.startswith(relative + "<br>") and for_ in cell
    assert cells[f"citizen:{leif.id}"].startswith("Leif Winther<br>")


def test_a_page_of_fifty_names_its_citizens_in_one_query(
    coordinator_client, app, db, now, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    people = [make_citizen(db, name=f"Borger {i:02d}") for i in range(25)]
    db.flush()
    for i, citizen in enumerate(people):
        mine = Actor("citizen", citizen.id, on_behalf_of=f"citizen:{citizen.id}")
        theirs = Actor("relative", 100 + i, f"Pårørende {i:02d}", f"citizen:{citizen.id}")
        record(db, mine, "sign_in", now=now + timedelta(minutes=i))
        record(db, theirs, "sign_in", now=now + timedelta(minutes=i))
    db.commit()
    with statements(app, full=True) as seen:
        html = coordinator_client.get("/coordinator/audit").get_data(as_text=True)
    assert html.count("data-seq=") == app.config["PAGE_SIZE"] == 50
    assert all(f"Borger {i:02d}" in html for i in range(1, 25))
    assert "Citizen no." not in html and "Borger nr." not in html
    from_citizens = [s for s in seen if re.search(r"\bFROM citizen\b", s)]
    assert len(from_citizens) == 1, from_citizens


def test_a_relatives_failed_sign_in_is_theirs_without_the_date_typed(client, db, now):
    leif = make_citizen(db, name="Leif Winther", date_of_birth=date(1935, 9, 9))
    db.commit()
    born = date(1936, 10, 11)  # wrong
    form = {"code": leif.code, "day": born.day, "month": born.month, "year": born.year}
    form.update(name="Karen Winther", phone="20 30 40 50", relation="child")
    assert client.post("/sign-in/relative", data=form).status_code == 200
    rec = db.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert (rec.action, rec.object_type, rec.object_id) == (
        "relative_sign_in_failed",
        "citizen",
        str(leif.id),
    )
    assert (rec.actor, rec.on_behalf_of) == ("relative Karen Winther", f"citizen:{leif.id}")
    stored = f"{rec.actor} {rec.on_behalf_of} {rec.data}"
    assert "1936" not in stored and "10-11" not in stored and "11" not in str(rec.data)
    client.post("/sign-out")
    sign_in_staff(client, make_user(db, "coordinator"))
    client.get("/language/da")
    html = client.get("/coordinator/audit").get_data(as_text=True)
    cell = _cells(html)["relative Karen Winther"]
    assert cell.startswith("Karen Winther (Pårørende)<br>") and "Leif Winther" in cell
    assert "Pårørendes login mislykkedes" in html
