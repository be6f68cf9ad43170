"""Phone numbers in the municipality's set-up: the municipality's own number, a provider's and
a partner company's are checked for the country (config COUNTRY), kept as typed on an error,
stored in one form and shown as people write them; a bad number stored before the check never
makes an empty tel: link."""

import pytest
from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.consent.models import PartnerCompany
from portal.directory import settings
from portal.directory.models import Provider
from tests.directory.test_settings import TEXTS
from tests.factories import NOW, make_provider, make_user
from tests.helpers import sign_in_staff

DK_TEXTS = {**TEXTS, "phone": "+45 70 20 30 40"}


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


@pytest.mark.parametrize("typed", ["ring mig", "abc", "12", "1234567890123"])
def test_the_municipality_phone_must_be_a_phone_number(app, client, db, coordinator, typed):
    response = client.post("/coordinator/setup/texts", data={**DK_TEXTS, "phone": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a phone number, for example 34 41 23 45" in html
    assert f'value="{typed}"' in html  # kept as typed
    assert settings.stored(db) == {}


def test_the_municipality_phone_is_stored_and_shown_as_written_in_the_country(
    app, client, db, coordinator
):
    assert client.post("/coordinator/setup/texts", data=DK_TEXTS).status_code == 303
    assert settings.value_of(settings.stored(db)["phone"]) == "70 20 30 40"
    page = client.get("/").get_data(as_text=True)
    assert '<a href="tel:+4570203040" class="text-nowrap">70 20 30 40</a>' in page


def test_a_bad_stored_municipality_phone_is_shown_without_a_link(app, client, db):
    settings.save(db, {"phone": "ring mig"}, now=NOW, actor=SYSTEM)
    db.commit()
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:' not in page
    assert "ring mig" in page


def test_a_provider_phone_must_be_a_phone_number(client, db, coordinator):
    response = client.post(
        "/coordinator/setup/providers/new", data={"name": "P", "kind": "private", "phone": "12"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a phone number, for example 34 41 23 45" in html
    assert 'value="12"' in html and 'value="P"' in html
    assert db.scalar(select(Provider)) is None


def test_a_provider_phone_is_stored_in_e164_and_shown_nationally(client, db, coordinator):
    made = client.post(
        "/coordinator/setup/providers/new",
        data={"name": "P", "kind": "private", "phone": "+45 20-12-34-56"},
    )
    assert made.status_code == 303
    provider = db.scalar(select(Provider))
    assert provider.phone == "+4520123456"
    assert "20 12 34 56" in client.get("/coordinator/setup/providers").get_data(as_text=True)
    edit = client.get(f"/coordinator/setup/providers/{provider.id}").get_data(as_text=True)
    assert 'value="20 12 34 56"' in edit
    # No phone stays no phone.
    client.post(
        f"/coordinator/setup/providers/{provider.id}",
        data={"name": "P", "kind": "private", "phone": ""},
    )
    db.refresh(provider)
    assert provider.phone is None


def test_an_old_bad_provider_phone_is_shown_as_it_is(client, db, coordinator):
    make_provider(db, name="Gammel").phone = "12"
    db.commit()
    assert "Gammel" in client.get("/coordinator/setup/providers").get_data(as_text=True)


def test_a_partner_company_phone_must_be_a_phone_number(client, db, coordinator):
    response = client.post(
        "/coordinator/partners/new", data={"name": "Posten", "phone": "x", "categories": ["post"]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a phone number, for example 34 41 23 45" in html
    assert 'value="x"' in html and 'value="Posten"' in html
    assert db.scalar(select(PartnerCompany)) is None


def test_a_partner_company_phone_is_stored_in_e164_and_shown_nationally(client, db, coordinator):
    made = client.post(
        "/coordinator/partners/new",
        data={"name": "Posten", "phone": "20 12 34 56", "categories": ["post"]},
    )
    assert made.status_code == 303
    assert db.scalar(select(PartnerCompany)).phone == "+4520123456"
    assert "20 12 34 56" in client.get(made.location).get_data(as_text=True)
