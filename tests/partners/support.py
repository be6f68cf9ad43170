"""A building with an entrance unit, a citizen behind it with a front-door unit, home care of
two providers, and a partner company with a courier: what the partner tests start from."""

from dataclasses import dataclass
from datetime import time

from portal.audit.services import SYSTEM
from portal.consent import partners
from portal.consent.models import ConsentStatus, PartnerCategory
from tests.access.support import citizen_in, make_lock, make_staff
from tests.access.support import make_world as access_world
from tests.factories import NOW, make_property

# NOW is Monday 23 November 2026, 09:00 UTC: 10:00 in Copenhagen.
MONDAY = 0


@dataclass
class Building:
    """Everything a partner test names."""

    world: object
    prop: object
    entrance: object
    citizen: object
    door: tuple
    gate: tuple
    home_care: object
    other_provider_staff: object
    company: object
    courier: object


def make_building(db, *, window=(time(8), time(12)), category=PartnerCategory.POST) -> Building:
    """A granted entrance with a unit, opened to `category` on Mondays in `window` (commits)."""
    w = access_world(db)
    prop = make_property(db, district=w.north)
    entrance = prop.entrances[0]
    entrance.consent_status = ConsentStatus.GRANTED
    citizen = citizen_in(db, w, property_id=prop.id)
    door, gate = make_lock(db, citizen), make_lock(db, entrance=entrance)
    company = partners.create_company(
        db, name="Postbud A/S", categories=[category], now=NOW, actor=SYSTEM
    )
    if window:
        partners.set_entrance_windows(
            db, entrance, [(category, MONDAY, *window)], now=NOW, actor=SYSTEM
        )
    from portal.access.partner_staff import create_partner_staff

    courier, _ = create_partner_staff(
        db,
        company_id=company.id,
        staff_number=f"PB-{company.id}-{entrance.id}",
        first_name="Per",
        last_name="Post",
        pin="482910",
        now=NOW,
        actor=SYSTEM,
    )
    building = Building(
        world=w,
        prop=prop,
        entrance=entrance,
        citizen=citizen,
        door=door,
        gate=gate,
        home_care=make_staff(db, [w.team_north]),
        other_provider_staff=make_staff(db, [w.private_team]),
        company=company,
        courier=courier,
    )
    db.commit()
    return building
