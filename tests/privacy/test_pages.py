"""The retention settings page: shows the periods, saves them, refuses bad input kindly."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.privacy import catalog, retention
from tests.factories import make_user
from tests.helpers import sign_in_staff

URL = "/coordinator/data-protection/retention"


@pytest.fixture
def coordinator(db, client):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def _form(**changes):
    return {k.key: str(k.default_days) for k in catalog.KINDS} | changes


def test_the_page_shows_every_kind_with_its_period(client, db, coordinator):
    html = client.get(URL).get_data(as_text=True)
    for kind in catalog.KINDS:
        assert f'name="{kind.key}"' in html and f'value="{kind.default_days}"' in html


def test_saving_new_periods(client, db, coordinator):
    response = client.post(URL, data=_form(visits="400"))
    assert response.status_code == 303 and response.location.endswith(URL)
    assert retention.periods(db)["visits"] == 400
    assert 'value="400"' in client.get(URL).get_data(as_text=True)
    assert db.scalar(select(AuditRecord).filter_by(action="privacy.retention_changed"))


@pytest.mark.parametrize(
    "value",
    ["0", "-5", "36501", "abc", "", "1.5", "<script>alert(1)</script>", "9" * 400, "1\x00"],
)
def test_bad_periods_come_back_with_a_message_and_change_nothing(client, db, coordinator, value):
    response = client.post(URL, data=_form(visits=value, letters="200"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "form-error-message" in html and "<script>alert" not in html
    assert 'value="200"' in html  # what was typed elsewhere is kept
    assert retention.periods(db) == {k.key: k.default_days for k in catalog.KINDS}


def test_a_missing_field_is_an_error(client, db, coordinator):
    data = _form()
    del data["register"]
    assert "form-error-message" in client.post(URL, data=data).get_data(as_text=True)
    assert retention.periods(db)["register"] == 1825
