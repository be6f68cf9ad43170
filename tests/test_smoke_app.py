"""The app builds, serves its front page and knows every feature."""

from portal import feature_names


def test_front_page_offers_three_doors(client):
    page = client.get("/").get_data(as_text=True)
    assert "/sign-in/citizen" in page and "/sign-in/owner" in page and "/sign-in/staff" in page


def test_every_feature_is_found():
    assert {"accounts", "citizens", "audit", "consent"} <= set(feature_names())
