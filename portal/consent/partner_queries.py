"""Reads for third-party access: an entrance's windows, the companies and who blocked whom."""

from sqlalchemy import select

from portal.consent.models import (
    CompanyStatus,
    PartnerBlock,
    PartnerCategory,
    PartnerCompany,
    PartnerWindow,
)


def windows_of(session, entrance_id: int) -> list[PartnerWindow]:
    """An entrance's partner windows by category and weekday."""
    return list(
        session.scalars(
            select(PartnerWindow)
            .where(PartnerWindow.entrance_id == entrance_id)
            .order_by(PartnerWindow.category, PartnerWindow.weekday)
        )
    )


def companies(session, *, active_only: bool = False) -> list[PartnerCompany]:
    """Partner companies by name."""
    stmt = select(PartnerCompany).order_by(PartnerCompany.name, PartnerCompany.id)
    if active_only:
        stmt = stmt.where(PartnerCompany.status == CompanyStatus.ACTIVE)
    return list(session.scalars(stmt))


def approved_by_category(session) -> dict[str, list[PartnerCompany]]:
    """Active companies approved in each category (every category present, maybe empty)."""
    result = {c.value: [] for c in PartnerCategory}
    for company in companies(session, active_only=True):
        for category in company.categories:
            result[category].append(company)
    return result


def blocked_company_ids(session, owner_id: int) -> set[int]:
    """The companies an owner has blocked."""
    stmt = select(PartnerBlock.company_id).where(PartnerBlock.owner_id == owner_id)
    return set(session.scalars(stmt))
