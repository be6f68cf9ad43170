"""The grant form's error summary lists its errors in the order of the fields on the page."""

import re

import pytest

from tests.consent.owner_support import Org
from tests.consent.test_owner_views import grant_data
from tests.helpers import sign_in_staff
from tests.web.support import english_client


@pytest.fixture
def owner(app, db, keyring, clock):
    org = Org(db, keyring)
    client = english_client(app)
    sign_in_staff(client, org.user)
    return client, org


def _summary_targets(page: str) -> list[str]:
    summary = page.split('class="alert alert-error error-summary"')[1].split("</ul>")[0]
    return re.findall(r'href="#([^"]+)"', summary)


def _field_order(page: str, ids: list[str]) -> list[str]:
    main = page.split('class="alert alert-error error-summary"')[1].split("</ul>", 1)[1]
    return sorted(ids, key=lambda i: main.index(f'id="{i}"'))


@pytest.mark.parametrize("path", ["entrance", "blanket"])
def test_the_summary_follows_the_fields_on_the_page(owner, path):
    client, org = owner
    entrance = org.first.entrances[0]
    bad = grant_data(
        entrance,
        **{"grant-signer_role": "", "grant-typed": "wrong words", "grant-ends_1": "08:00"},
    )
    del bad["grant-may_sign"]
    url = f"/owner/entrances/{entrance.id}/grant" if path == "entrance" else "/owner/all/grant"
    text = client.post(url, data=bad).get_data(as_text=True)
    targets = _summary_targets(text)
    expected = ["grant-signer_role", "grant-may_sign", "grant-typed", "grant-ends_1"]
    assert sorted(targets) == sorted(expected), targets
    assert targets == _field_order(text, targets) == expected
