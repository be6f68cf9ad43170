"""Demo partner companies (third-party access): two approved companies, a partner admin to
sign in as, and a courier each, so the partner pages and the owners' partner page have
something to show. Fixed names and numbers: no draw from the seed's random source, so the
steps after this one make the same data as before."""

from portal.access.partner_staff import create_partner_staff
from portal.accounts.services import create_user
from portal.audit.services import Actor
from portal.consent.partners import create_company

ACTOR = Actor("system", label="demo data")
PARTNER_ADMIN = "partner@demo.example"
COMPANIES = (
    ("Demo Post A/S", "11223344", ("post", "parcels"), "PP-2001"),
    ("Madkassen Demo ApS", "55667788", ("meal_boxes",), "PP-2002"),
)


def seed(ctx) -> None:
    """The companies, their couriers (PIN as for home-care staff) and one partner admin."""
    from portal.access.demoshift import DEMO_PIN

    companies = []
    for name, number, categories, courier in COMPANIES:
        company = create_company(
            ctx.session,
            name=name,
            org_number=number,
            contact_person="Kim Demo",
            phone="+45 70 00 00 00",
            categories=categories,
            now=ctx.now,
            actor=ACTOR,
        )
        create_partner_staff(
            ctx.session,
            company_id=company.id,
            staff_number=courier,
            first_name="Kim",
            last_name=name.split()[0],
            pin=DEMO_PIN,
            now=ctx.now,
            actor=ACTOR,
        )
        companies.append(company)
    create_user(
        ctx.session,
        PARTNER_ADMIN,
        "Partner Admin",
        ctx.names.DEMO_PASSWORD,
        "partner_admin",
        now=ctx.now,
        partner_company_id=companies[0].id,
    )
    ctx.lines.append(
        f"  partner admin ({companies[0].name}): {PARTNER_ADMIN}; couriers "
        + ", ".join(c[3] for c in COMPANIES)
    )
