"""What the citizen pages say is true and easy to act on: tap-to-call numbers, hours that do
not break, honest promises about the booking, and no "Book a time" when booking is closed."""

from portal.rollout.models import Campaign
from tests.booking.support import make_world
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff

TEL = '<a href="tel:+4570102030" class="text-nowrap">+45 70 10 20 30</a>'


def test_phone_numbers_in_the_page_body_are_tap_to_call_links(db, client):
    world = make_world(db)
    world.campaign.status = "closed"
    db.commit()
    assert TEL in client.get("/").get_data(as_text=True).split("<main", 1)[1]
    sign_in_citizen(client, world.citizens[0])
    for url in ("/citizen/", "/citizen/booking/"):
        html = client.get(url).get_data(as_text=True)
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        assert TEL in main, url


def test_hours_keep_together_with_an_en_dash(db, client):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    html = client.get("/citizen/").get_data(as_text=True)
    assert "mandag\u2013fredag kl.\u00a09\u2060\u2013\u206015" in html
    assert "9-15" not in html and "kl. 9" not in html


def test_the_booking_start_promises_no_fewer_questions_than_asked(db, client):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    html = client.get("/citizen/booking/").get_data(as_text=True)
    assert "tre korte spørgsmål" not in html
    assert "hvem der åbner døren" in html and "tolk" in html


def test_a_closed_campaign_says_booking_opens_later_and_whom_to_call(db, client):
    world = make_world(db)
    world.campaign.status = "closed"
    db.commit()
    sign_in_citizen(client, world.citizens[0])
    home = client.get("/citizen/").get_data(as_text=True)
    assert "Book en tid" not in home
    assert "Du kan booke en tid senere" in home and TEL in home


def test_a_running_campaign_still_offers_book_a_time(db, client):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    assert "Book en tid" in client.get("/citizen/").get_data(as_text=True)


def test_the_reopen_button_is_a_verb(db, client):
    world = make_world(db)
    campaign = db.get(Campaign, world.campaign.id)
    campaign.status = "closed"
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Genåbn kampagnen for booking" in html
    assert ">Åben for booking<" not in html
