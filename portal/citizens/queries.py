"""Reads of the register: the one citizen search, and the register's filtered, paged list."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.citizens import search
from portal.citizens.models import Citizen
from portal.directory import queries as directory
from portal.extensions import db


def matching(text: str):
    """SQL condition: every word of `text` is in the name, address, town, postcode or external id.

    The one citizen search: the register and the phone booking both use it (indexed:
    `portal.citizens.search`).
    """
    return search.matching(text, db.engine.dialect.name)


@dataclass
class RegisterQuery:
    """Search text and filters from the register form."""

    q: str = ""
    # The blind index of `q` when the search text is a valid national id (else None).
    national_id_index: str | None = None
    district_id: int | None = None
    provider_id: int | None = None
    status: str | None = None
    page: int = 1


def exact_match(session, query: RegisterQuery) -> int | None:
    """The citizen whose national id or external id the search text is exactly (by index)."""
    if query.national_id_index:
        found = session.scalar(
            select(Citizen.id).where(Citizen.national_id_index == query.national_id_index)
        )
        if found:
            return found
    word = query.q.strip()
    if not word or len(word.split()) > 1:
        return None
    return session.scalar(select(Citizen.id).where(Citizen.external_id == word))


@dataclass
class RegisterPage:
    """One page of results, with the name of each citizen's provider on the page's date."""

    citizens: list
    total: int
    page: int
    pages: int
    providers: dict[int, str] = field(default_factory=dict)  # by citizen id; none: no provider
    # More citizens match than are counted (COUNT_CAP, SEARCH_COUNT_CAP): `total` is the cap
    # and the pages stop there.
    more: bool = False


# Counting every match of a broad search costs time in proportion to the register; beyond
# this many, the page says "more than" and asks for a narrower search instead.
COUNT_CAP = 1000
# ... and beyond this many when words are typed: a word's matches are found by reading the
# citizen rows (PostgreSQL checks each row the trigram index offers, or scans until it has
# enough), so counting 1,001 Petersens at 100,000 took 15.6 ms, most of that page. Nobody
# pages through hundreds of Petersens; the page asks for another word instead. Never above
# COUNT_CAP.
SEARCH_COUNT_CAP = 100


def _cap(query: RegisterQuery) -> int:
    """How far the matches of `query` are counted."""
    return SEARCH_COUNT_CAP if search.words_of(query.q) else COUNT_CAP


def _search(query: RegisterQuery):
    """The search part of the register's query, bounded in the size of the register, and how
    many citizens it matches when that is known without counting (an exact id: one; more than
    COUNT_CAP in the index: COUNT_CAP + 1), else None.

    An exact id is one row. On SQLite the full-text index is first asked for up to
    COUNT_CAP + 1 matches: when there are no more than COUNT_CAP, the page sorts just those
    ids; when there are more, the page walks the search document's index in name order
    (`search.matching`, walk_names) instead of sorting them all. With more than COUNT_CAP
    matches spread through the alphabet, the walk passes on average fewer than (citizens /
    COUNT_CAP) entries for each match: about 2,500 for a page of 25 at 100,000 citizens, each
    tested in the index entry (about 0.3 µs). Matches bunched late in name order make it
    longer. (Up to COUNT_CAP, not the lower SEARCH_COUNT_CAP the page counts to: sorting a few
    hundred ids is quicker than walking the index until a page of them turns up.)"""
    exact = exact_match(db.session, query)
    if exact:
        return Citizen.id == exact, 1
    found = search.first_matches(db.session, query.q, COUNT_CAP + 1)
    if found is None:
        return matching(query.q), None
    if len(found) <= COUNT_CAP:
        # Counted from the citizen rows (a bounded count of at most COUNT_CAP ids), so an index
        # row left behind by a rebuild without triggers never shows in the total.
        return Citizen.id.in_(found), None
    return search.matching(query.q, db.engine.dialect.name, walk_names=True), len(found)


def register_page(query: RegisterQuery, *, on: date, page_size: int = 25) -> RegisterPage:
    """Citizens by name matching the search and filters; the provider is the one in force on `on`.

    Matches are counted only when that is not known already: from the search alone (an exact
    id, the full-text index), or because the first page is not full and so holds them all;
    and only up to a cap (COUNT_CAP, or SEARCH_COUNT_CAP when words are typed).
    """
    cap = _cap(query)
    condition, found = _search(query)
    filters = []
    if query.district_id:
        filters.append(Citizen.district_id == query.district_id)
    if query.provider_id:
        served = directory.citizen_ids_served_by(query.provider_id, on)
        filters.append(Citizen.id.in_(served))
    if query.status:
        filters.append(Citizen.status == query.status)
    stmt = select(Citizen).where(condition, *filters)
    ordered = stmt.options(selectinload(Citizen.district)).order_by(Citizen.name, Citizen.id)

    def read(number: int) -> list:
        return list(db.session.scalars(ordered.limit(page_size).offset((number - 1) * page_size)))

    page, citizens = max(1, query.page), None
    if found is not None and not filters:
        total = found
    elif page == 1 and len(citizens := read(1)) < page_size:
        total = len(citizens)
    else:
        capped = stmt.with_only_columns(Citizen.id).limit(cap + 1).subquery()
        total = db.session.scalar(select(func.count()).select_from(capped))
    more, total = total > cap, min(total, cap)
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    if citizens is None or page != 1:
        citizens = read(page)
    return RegisterPage(
        citizens=citizens,
        total=total,
        page=page,
        pages=pages,
        # Names only, as rows: the assignments, providers and care groups as ORM objects took
        # three queries and about a third of a full page's time.
        providers=directory.provider_names_on(db.session, [c.id for c in citizens], on),
        more=more,
    )
