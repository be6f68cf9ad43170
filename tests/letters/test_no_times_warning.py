"""The information letter asks the citizen to book a fitting. A coordinator who chooses a
district (or campaign) where no time can be booked yet is warned before making the letters:
otherwise every citizen who follows the letter finds "booking opens later" and calls."""

from datetime import timedelta

import pytest

from tests.booking.support import add_availability, make_campaign
from tests.factories import NOW, make_citizen, make_user

WARNING = {
    "en": "Nobody who gets these letters can book a time yet",
    "da": "Ingen, der får disse breve, kan bestille en tid endnu",
    "sv": "Ingen som får de här breven kan boka en tid än",
}


@pytest.fixture
def people(db, district):
    made = [make_citizen(db, district=district, language="da") for _ in range(2)]
    db.commit()
    return made


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_a_district_without_bookable_times_is_warned_about(
    coordinator_client, district, people, lang
):
    coordinator_client.get(f"/language/{lang}")
    url = f"/coordinator/letters?scope=district:{district.id}"
    page = coordinator_client.get(url).get_data(as_text=True)
    assert WARNING[lang] in page
    fragment = coordinator_client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert WARNING[lang] in fragment and 'role="alert"' in fragment


def test_a_running_campaign_with_free_times_gives_no_warning(
    coordinator_client, db, district, people, clock
):
    campaign = make_campaign(
        db,
        district,
        starts_on=(NOW + timedelta(days=7)).date(),
        ends_on=(NOW + timedelta(days=35)).date(),
    )
    add_availability(db, campaign, make_user(db, "locksmith"))
    db.commit()
    for key in (f"district:{district.id}", f"campaign:{campaign.id}"):
        page = coordinator_client.get(f"/coordinator/letters?scope={key}").get_data(as_text=True)
        assert "2 letters" in page and WARNING["en"] not in page, key
