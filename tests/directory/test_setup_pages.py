"""Reference-data pages: create, change, deactivate (refused while in use), all audited."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.directory.models import CareGroup, District, Provider
from tests.factories import make_care_group, make_citizen, make_district, make_provider, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def _actions(db):
    return [r.action for r in db.scalars(select(AuditRecord).order_by(AuditRecord.id))]


def test_a_coordinator_creates_districts_providers_and_a_care_group(client, db, coordinator):
    for name in ("Tumba", "Tullinge"):
        assert (
            client.post("/coordinator/setup/districts/new", data={"name": name}).status_code == 303
        )
    response = client.post(
        "/coordinator/setup/providers/new",
        data={"name": "Hemtjänst Botkyrka", "kind": "municipal", "phone": "70 20 30 40"},
    )
    assert response.status_code == 303
    provider = db.scalar(select(Provider))
    tumba, tullinge = db.scalars(select(District).order_by(District.name.desc())).all()
    response = client.post(
        "/coordinator/setup/care-groups/new",
        data={
            "provider": str(provider.id),
            "name": "Nattpatrullen",
            "districts": [str(tumba.id), str(tullinge.id)],
            "night_patrol": "y",
        },
    )
    assert response.status_code == 303
    group = db.scalar(select(CareGroup))
    assert group.night_patrol and {d.name for d in group.districts} == {"Tumba", "Tullinge"}
    assert _actions(db)[-4:] == [
        "district.created",
        "district.created",
        "provider.created",
        "care_group.created",
    ]
    listing = client.get("/coordinator/setup/care-groups").get_data(as_text=True)
    assert "Nattpatrullen" in listing and "Hemtjänst Botkyrka" in listing


def test_a_name_taken_comes_back_with_the_form_filled_in(client, db, coordinator):
    make_district(db, "Tumba")
    db.commit()
    response = client.post("/coordinator/setup/districts/new", data={"name": "tumba"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another one already has this name." in html and 'value="tumba"' in html


@pytest.mark.parametrize(
    "name", ["", " ", "x" * 121, "<script>alert(1)</script>", '=HYPERLINK("x")']
)
def test_bad_names_are_refused_or_kept_as_text(client, db, coordinator, name):
    response = client.post("/coordinator/setup/districts/new", data={"name": name})
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    if name.strip() and len(name) <= 120:
        assert response.status_code == 303
        assert db.scalar(select(District.name)) == name
    else:
        assert response.status_code == 200 and db.scalar(select(District)) is None


def test_wrong_ids_and_kinds_are_404(client, db, coordinator):
    assert client.get("/coordinator/setup/districts/999999").status_code == 404
    assert client.get("/coordinator/setup/districts/99999999999999").status_code == 404
    assert client.get("/coordinator/setup/people").status_code == 404
    assert client.post("/coordinator/setup/providers/5/active").status_code == 404


def test_a_care_group_with_a_provider_of_another_value_is_refused(client, db, coordinator):
    district = make_district(db)
    db.commit()
    response = client.post(
        "/coordinator/setup/care-groups/new",
        data={"provider": "abc", "name": "X", "districts": [str(district.id)]},
    )
    assert response.status_code == 200 and db.scalar(select(CareGroup)) is None


def test_deactivating_a_district_in_use_is_refused_with_the_reasons(client, db, coordinator):
    district = make_district(db, "Tumba")
    make_care_group(db, districts=[district], name="Team Tumba")
    make_citizen(db, district=district)
    db.commit()
    response = client.post(f"/coordinator/setup/districts/{district.id}/active")
    assert response.status_code == 303 and "refused=1" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "It cannot be deactivated yet" in html
    assert "1 citizen depends on it." in html and "Team Tumba" in html
    db.expire_all()
    assert db.get(District, district.id).active
    assert "district.deactivated" not in _actions(db)


def test_an_unused_district_is_deactivated_and_reactivated_audited(client, db, coordinator):
    district = make_district(db, "Tomt")
    db.commit()
    assert client.post(f"/coordinator/setup/districts/{district.id}/active").status_code == 303
    db.expire_all()
    assert not db.get(District, district.id).active
    assert client.post(f"/coordinator/setup/districts/{district.id}/active").status_code == 303
    db.expire_all()
    assert db.get(District, district.id).active
    assert _actions(db)[-2:] == ["district.deactivated", "district.reactivated"]


def test_a_provider_with_citizens_or_active_care_groups_stays_active(client, db, coordinator):
    provider = make_provider(db, "Omsorg AB")
    group = make_care_group(db, provider=provider, districts=[make_district(db)], name="Lag 1")
    make_citizen(db, provider=provider, care_group=group)
    db.commit()
    client.post(f"/coordinator/setup/providers/{provider.id}/active")
    html = client.get(f"/coordinator/setup/providers/{provider.id}?refused=1").get_data(
        as_text=True
    )
    assert "1 citizen depends on it." in html and "Lag 1" in html
    client.post(f"/coordinator/setup/care-groups/{group.id}/active")
    db.expire_all()
    assert db.get(Provider, provider.id).active and db.get(CareGroup, group.id).active


def test_a_deactivated_district_is_not_offered_for_a_new_care_group(client, db, coordinator):
    make_provider(db)
    kept, gone = make_district(db, "Kvar"), make_district(db, "Borta")
    gone.active = False
    db.commit()
    html = client.get("/coordinator/setup/care-groups/new").get_data(as_text=True)
    assert "Kvar" in html and "Borta" not in html
    assert re.search(
        r"Deactivated", client.get("/coordinator/setup/districts").get_data(as_text=True)
    )
    assert kept.active


def test_a_new_campaign_offers_only_districts_in_use(client, db, coordinator):
    make_district(db, "Kvar")
    make_district(db, "Borta").active = False
    db.commit()
    html = client.get("/coordinator/campaigns/new").get_data(as_text=True)
    assert ">Kvar<" in html and "Borta" not in html
