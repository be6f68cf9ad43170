"""A fitted citizen's page says when and by whom the lock was fitted, never "No fitting booked"."""

import secrets
from datetime import UTC, datetime

from portal.access.lock_units import register_lock_unit
from portal.citizens import lifecycle
from portal.keys import es256, public_key_to_pem
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_staff

FITTED_AT = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def test_a_fitted_citizen_without_a_booking_shows_the_fitting(db, client):
    citizen = make_citizen(db)
    locksmith = make_user(db, "locksmith")
    locksmith.name = "Lene Låsesmed"
    key = es256.generate_private_key()
    register_lock_unit(
        db,
        serial=f"SN-{secrets.token_hex(4)}",
        public_key_text=public_key_to_pem(key.public_key()),
        kind="door",
        citizen_id=citizen.id,
        now=FITTED_AT,
        actor=locksmith.actor,
    )
    lifecycle.fitted(citizen)
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    page = client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)
    assert "Ingen montering booket" not in page
    assert "20. november 2026" in page and "Lene Låsesmed" in page
