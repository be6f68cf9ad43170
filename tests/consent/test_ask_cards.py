"""The coordinator's "ask owners" page on a phone: one card per property (the table is for wide
screens), each with its own checkbox that names the property."""

import re

from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.factories import make_district, make_owner, make_property


def test_every_property_has_a_card_with_its_own_labelled_checkbox(coordinator, db):  # noqa: F811
    district = make_district(db)
    paper = make_owner(db, name="Papir A/S", email=None)
    props = [make_property(db, owner=paper, district=district, address=f"Vej {n}") for n in (1, 2)]
    db.commit()
    page = coordinator.get("/coordinator/consent/ask").get_data(as_text=True)
    assert re.search(r'<div class="wide-only">\s*<table', page)
    cards = page.split('class="card-list nobullet-list narrow-only"')[1].split("</ul>")[0]
    assert cards.count('class="card-item"') == 2
    for prop in props:
        box = f'id="ask-card-{prop.id}"'
        assert box in cards and f'name="properties" value="{prop.id}" {box}' in cards
        label = re.search(
            rf'<label class="form-label" for="ask-card-{prop.id}">([^<]+)</label>', cards
        )
        assert label and label.group(1) == f"Ask about {prop.address}"
        assert f'id="ask-{prop.id}"' in page  # the table's own
    assert cards.count("No email: letter only") == 2
    assert len(re.findall(r'id="(ask-[^"]+)"', page)) == len(
        set(re.findall(r'id="(ask-[^"]+)"', page))
    )
