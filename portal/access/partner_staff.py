"""A partner company's couriers: created by the company's admin, with a PIN and phones enrolled
like home-care staff (`portal.access.staff`), but with no care group and never a door."""

from datetime import datetime

from sqlalchemy import select

from portal.access.models import Staff
from portal.access.staff import DuplicateStaffNumber, StaffError, new_pin
from portal.accounts.passwords import hash_password
from portal.audit.services import Actor, record
from portal.consent.models import PartnerCompany


class CompanySuspended(StaffError):
    """The municipality has suspended the company: no new couriers."""

    code = "company_suspended"


def create_partner_staff(
    session,
    *,
    company_id: int,
    staff_number: str,
    first_name: str,
    last_name: str,
    pin: str | None = None,
    now: datetime,
    actor: Actor,
) -> tuple[Staff, str]:
    """Create a courier of a partner company with a PIN (generated when not given)."""
    company = session.get(PartnerCompany, company_id)
    if company is None or not company.active:
        raise CompanySuspended(company_id)
    number = staff_number.strip().upper()
    if session.scalar(select(Staff.id).where(Staff.staff_number == number)) is not None:
        raise DuplicateStaffNumber(number)
    pin = pin or new_pin()
    staff = Staff(
        provider_id=None,
        partner_company_id=company.id,
        staff_number=number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        pin_hash=hash_password(pin),
        care_groups=[],
        created_at=now,
    )
    session.add(staff)
    session.flush()
    record(
        session,
        actor,
        "partner_staff_created",
        now=now,
        object_type="staff",
        object_id=staff.id,
        data={"staff_number": number, "partner_company": company.id},
    )
    return staff, pin


def partner_staff(session, company_id: int) -> list[Staff]:
    """A company's couriers by name."""
    return list(
        session.scalars(
            select(Staff)
            .where(Staff.partner_company_id == company_id)
            .order_by(Staff.last_name, Staff.first_name, Staff.id)
        )
    )
