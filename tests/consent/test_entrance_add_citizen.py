"""The coordinator puts a citizen behind an entrance by what the pages show (the external id,
or a name), and a problem comes back at the field with the text kept."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.consent.models import EntranceCitizen
from tests.factories import make_citizen, make_district, make_property, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client


@pytest.fixture
def coordinator(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    return client


@pytest.fixture
def street(db):
    district = make_district(db)
    prop = make_property(db, district=district, entrances=2)
    people = {
        "agnes": make_citizen(db, district=district, name="Agnes Jensen", external_id="DEMO-0130"),
        "jens": make_citizen(db, district=district, name="Jens Østergaard"),
        "anna": make_citizen(db, district=district, name="Anna Holm"),
        "anne": make_citizen(db, district=district, name="Anne Holm"),
        "far": make_citizen(db, district=make_district(db), name="Karen Fjern", external_id="F-1"),
    }
    db.commit()
    return prop, people


def _added(db, entrance):
    db.expire_all()
    rows = db.scalars(select(EntranceCitizen).where(EntranceCitizen.entrance_id == entrance.id))
    return sorted((r.citizen_id, r.needed) for r in rows)


def _url(entrance):
    return f"/coordinator/entrances/{entrance.id}/citizens"


def test_the_external_id_as_shown_adds_the_citizen(coordinator, db, street):
    prop, people = street
    entrance = prop.entrances[1]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": " DEMO-0130 "})
    assert response.status_code == 303 and response.location.endswith(f"#entrance-{entrance.id}")
    assert _added(db, entrance) == [(people["agnes"].id, True)]
    # the external id finds a citizen outside the property's district too
    coordinator.post(_url(entrance), data={"action": "add", "citizen": "F-1"})
    assert (people["far"].id, True) in _added(db, entrance)


def test_a_name_with_one_match_in_the_district_adds_that_citizen(coordinator, db, street):
    prop, people = street
    entrance = prop.entrances[0]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": "østergaard"})
    assert response.status_code == 303
    assert _added(db, entrance) == [(people["jens"].id, True)]
    # a name known only in another district is not looked for there
    page = coordinator.post(_url(entrance), data={"action": "add", "citizen": "Karen Fjern"})
    assert page.status_code == 200 and _added(db, entrance) == [(people["jens"].id, True)]


def test_several_names_are_listed_to_choose_from_and_nothing_is_added(coordinator, db, street):
    prop, people = street
    entrance = prop.entrances[0]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": "Holm"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _added(db, entrance) == []
    assert "2 citizens match “Holm”" in page
    for who in ("anna", "anne"):
        person = people[who]
        assert f'name="citizen" value="{person.external_id}"' in page
        assert f"Add {person.name}" in page
    picked = coordinator.post(
        _url(entrance), data={"action": "add", "citizen": people["anne"].external_id}
    )
    assert picked.status_code == 303 and _added(db, entrance) == [(people["anne"].id, True)]


@pytest.mark.parametrize(
    "typed,message",
    [
        ("Ingen Sådan", "No citizen has this external id or name."),
        ("", "Write the citizen&#39;s external id or name"),
    ],
)
def test_a_problem_is_at_the_field_in_the_summary_and_the_text_is_kept(
    coordinator, db, street, typed, message
):
    prop, _people = street
    entrance = prop.entrances[1]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _added(db, entrance) == []
    field = f"citizen-{entrance.id}"
    assert re.search(rf'<input[^>]*id="{field}"[^>]*aria-invalid="true"', page)
    if typed:
        assert re.search(rf'<input[^>]*id="{field}"[^>]*value="{typed}"', page)
    assert f'id="{field}-error"' in page and message in page.split(f'id="{field}-error"')[1]
    summary = page.split('class="alert alert-error error-summary"')[1].split("</ul>")[0]
    assert f'href="#{field}"' in summary and message in summary
    assert "<title>Error:" in page
    # the other entrance's field is untouched
    other = f"citizen-{prop.entrances[0].id}"
    assert not re.search(rf'<input[^>]*id="{other}"[^>]*aria-invalid', page)


@pytest.mark.parametrize(
    "typed",
    ["...", "%", "_", "*", "'", '"', "-", "--", "\\", "🙂", "% _", "'%'", "-- '"],
)
def test_a_name_of_only_punctuation_or_symbols_finds_nobody(coordinator, db, street, typed):
    """Neither a LIKE wildcard (% _), a full-text operator (* " --) nor a name's own
    punctuation (the ' and - of Anne-Marie O'Brien) makes a match: nobody is added or offered,
    and the text comes back at the field."""
    prop, _people = street
    make_citizen(db, district=prop.district, name="Anne-Marie O'Brien", external_id="OB-1")
    db.commit()
    entrance = prop.entrances[1]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _added(db, entrance) == []
    field = f"citizen-{entrance.id}"
    assert re.search(rf'<input[^>]*id="{field}"[^>]*value="{re.escape(str(escape(typed)))}"', page)
    error = page.split(f'id="{field}-error"')[1].split("</span>")[1]
    assert "No citizen has this external id or name." in error
    assert "citizens match" not in page and "citizen matches" not in page
    assert 'name="citizen" value="OB-1"' not in page


def test_punctuation_inside_a_name_still_finds_it(coordinator, db, street):
    prop, _people = street
    obrien = make_citizen(db, district=prop.district, name="Anne-Marie O'Brien")
    db.commit()
    entrance = prop.entrances[0]
    response = coordinator.post(_url(entrance), data={"action": "add", "citizen": "o'brien"})
    assert response.status_code == 303 and _added(db, entrance) == [(obrien.id, True)]
