"""Provider admins name a phone at enrolment and see it by that name, with when it was last used."""

import re

from portal.keys import Phone, public_key_to_pem
from tests.access.support import make_staff, make_world
from tests.factories import make_user
from tests.helpers import sign_in_staff

HX = {"HX-Request": "true"}


def test_a_phone_named_at_enrolment_is_listed_by_its_name(db, client):
    w = make_world(db)
    sign_in_staff(client, make_user(db, "provider_admin", provider_id=w.municipal.id))
    member = make_staff(db, [w.team_north])
    db.commit()
    detail = client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    assert 'name="label"' in detail and 'name="model"' in detail
    page = client.post(
        f"/provider/staff/{member.id}/enrolment-code",
        data={"label": "Team Nord 3", "model": "Galaxy A54"},
    ).get_data(as_text=True)
    code = re.search(r'data-testid="enrolment-code">([A-Z0-9-]+)<', page).group(1)
    key = public_key_to_pem(Phone.generate().public_key)
    enrolled = client.post("/api/v1/enrolments", json={"enrolment_code": code, "public_key": key})
    assert enrolled.status_code == 201
    detail = client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    assert "Team Nord 3 – Galaxy A54" in detail
    assert "Senest brugt" in detail


def test_a_too_long_name_comes_back_with_a_message_and_no_code(db, client):
    w = make_world(db)
    sign_in_staff(client, make_user(db, "provider_admin", provider_id=w.municipal.id))
    member = make_staff(db, [w.team_north])
    db.commit()
    url = f"/provider/staff/{member.id}/enrolment-code"
    for headers in ({}, HX):
        response = client.post(
            url, data={"label": "x" * 61, "model": "<b>A54</b>"}, headers=headers
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Skriv højst 60 tegn" in html and 'data-testid="enrolment-code"' not in html
        assert "&lt;b&gt;A54&lt;/b&gt;" in html
