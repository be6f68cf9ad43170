"""Reads of the register: the one citizen search, and the register's filtered, paged list."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import selectinload

from portal.citizens.models import Citizen
from portal.directory import queries as directory
from portal.extensions import db

MAX_WORDS, MAX_WORD = 5, 50


def matching(text: str):
    """SQL condition: every word of `text` is in the name, address, town, postcode or external id.

    The one citizen search: the register and the phone booking both use it.
    """
    conditions = []
    for word in text.split()[:MAX_WORDS]:
        # autoescape: % and _ typed by the user are searched for, not used as wildcards.
        word = word.lower()[:MAX_WORD]
        conditions.append(
            or_(
                func.lower(Citizen.name).contains(word, autoescape=True),
                func.lower(Citizen.address).contains(word, autoescape=True),
                func.lower(Citizen.city).contains(word, autoescape=True),
                Citizen.postcode.contains(word, autoescape=True),
                func.lower(Citizen.external_id).contains(word, autoescape=True),
            )
        )
    return and_(true(), *conditions)


@dataclass
class RegisterQuery:
    """Search text and filters from the register form."""

    q: str = ""
    district_id: int | None = None
    provider_id: int | None = None
    status: str | None = None
    page: int = 1


@dataclass
class RegisterPage:
    """One page of results, with each citizen's provider assignment on the page's date."""

    citizens: list
    total: int
    page: int
    pages: int
    assignments: dict = field(default_factory=dict)


def register_page(query: RegisterQuery, *, on: date, page_size: int = 25) -> RegisterPage:
    """Citizens by name matching the search and filters; the provider is the one in force on `on`."""
    stmt = select(Citizen).where(matching(query.q))
    if query.district_id:
        stmt = stmt.where(Citizen.district_id == query.district_id)
    if query.provider_id:
        stmt = stmt.where(Citizen.id.in_(directory.citizen_ids_served_by(query.provider_id, on)))
    if query.status:
        stmt = stmt.where(Citizen.status == query.status)
    stmt = stmt.options(selectinload(Citizen.district)).order_by(Citizen.name, Citizen.id)
    found = db.paginate(stmt, page=max(1, query.page), per_page=page_size, error_out=False)
    if found.page > max(1, found.pages):
        found = db.paginate(stmt, page=found.pages, per_page=page_size, error_out=False)
    citizens = list(found.items)
    return RegisterPage(
        citizens=citizens,
        total=found.total,
        page=found.page,
        pages=max(1, found.pages),
        assignments=directory.assignments_on(db.session, [c.id for c in citizens], on),
    )
