"""Reads of the reference data, and the one answer to "which provider serves citizen C on D".

A citizen's provider (and care group) is never a column: it is the `ProviderAssignment` with
the latest `effective_from` on or before D. `in_force(D)` states that once, as SQL that list
pages, filters, reports and the door keys join or embed, so no page asks once per citizen.
Dates are the municipality's local dates (config TIMEZONE): use `local_date` or `today`.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from portal import clock
from portal.directory.models import CareGroup, District, Provider, ProviderAssignment
from portal.id_lists import one_of


def local_date(now: datetime, tz: str) -> date:
    """The calendar date at `now` in the time zone named `tz`."""
    return now.astimezone(ZoneInfo(tz)).date()


def today() -> date:
    """The municipality's date now, by the app's clock and config TIMEZONE."""
    return clock.today_in(ZoneInfo(current_app.config["TIMEZONE"]))


def in_force(on: date):
    """An aliased `ProviderAssignment`: each citizen's assignment in force on `on` (at most one).

    Join it on `citizen_id` (`outerjoin(a, a.citizen_id == Citizen.id)`) to list or filter
    citizens by provider; citizens with no assignment yet on `on` have none, and an ended one
    (no provider from its date) has `provider_id` NULL.
    """
    later = aliased(ProviderAssignment)
    superseded = exists().where(
        later.citizen_id == ProviderAssignment.citizen_id,
        later.effective_from > ProviderAssignment.effective_from,
        later.effective_from <= on,
    )
    rows = select(ProviderAssignment).where(ProviderAssignment.effective_from <= on, ~superseded)
    return aliased(ProviderAssignment, rows.subquery("in_force"), name="in_force")


def provider_id_of(citizen_id, on: date):
    """SQL scalar: the provider id in force on `on` for the citizen id column `citizen_id`."""
    current = in_force(on)
    return select(current.provider_id).where(current.citizen_id == citizen_id).scalar_subquery()


def ended(citizen_id, on: date):
    """SQL condition: the citizen id column's assignments ended on or before `on` (an end row,
    one without a provider, is the one in force)."""
    current = in_force(on)
    return exists().where(current.citizen_id == citizen_id, current.provider_id.is_(None))


def citizen_ids_served_by(provider_id: int, on: date):
    """SQL select of the ids of the citizens `provider_id` serves on `on` (for `in_()`)."""
    current = in_force(on)
    return select(current.citizen_id).where(current.provider_id == provider_id)


def assignments_on(session, citizen_ids, on: date) -> dict[int, ProviderAssignment]:
    """The assignment in force on `on` of each of `citizen_ids` (every citizen when None), by
    citizen id, with provider and care group loaded: one query for a whole page. A citizen
    whose assignments have ended on `on` has none, as before their first one.

    The rule is `in_force`'s (the latest `effective_from` on or before `on`), applied here to
    the listed citizens' assignments as read: as SQL, PostgreSQL would weigh every assignment
    of the register against the page's few (a hash anti-join over all of them), so a page's
    cost would grow with the register."""
    stmt = select(ProviderAssignment).where(ProviderAssignment.effective_from <= on)
    if citizen_ids is not None:
        stmt = stmt.where(one_of(session, ProviderAssignment.citizen_id, citizen_ids))
    stmt = stmt.options(
        selectinload(ProviderAssignment.provider), selectinload(ProviderAssignment.care_group)
    )
    return _in_force_of_each(session.scalars(stmt))


def care_group_names_on(session, citizen_ids, on: date) -> dict[int, str]:
    """The name of the care group serving each of `citizen_ids` on `on`, by citizen id
    (citizens without a care group then are left out): `assignments_on`'s rule, read as plain
    rows in one query. For pages that show only the name, such as each page and each export
    batch of the visit report, where building the assignments, providers and care groups as
    ORM objects took most of the page's time."""
    return _names_on(session, citizen_ids, on, CareGroup, ProviderAssignment.care_group_id)


def provider_names_on(session, citizen_ids, on: date) -> dict[int, str]:
    """The name of the provider serving each of `citizen_ids` on `on`, by citizen id, as
    `care_group_names_on` reads care groups: for the register's pages, which show only that."""
    return _names_on(session, citizen_ids, on, Provider, ProviderAssignment.provider_id)


def _names_on(session, citizen_ids, on: date, named, foreign_key) -> dict[int, str]:
    """`named.name` of the assignment in force on `on` of each of `citizen_ids`, joined by
    `foreign_key`, in one query of plain rows (one statement text whatever the number of
    ids, so an export's batches do not each make a new one: `one_of`)."""
    ids = list(citizen_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            ProviderAssignment.citizen_id,
            ProviderAssignment.effective_from,
            ProviderAssignment.provider_id,
            named.name,
        )
        .outerjoin(named, named.id == foreign_key)
        .where(
            ProviderAssignment.effective_from <= on,
            one_of(session, ProviderAssignment.citizen_id, ids),
        )
    )
    return {cid: r.name for cid, r in _in_force_of_each(rows).items() if r.name is not None}


def _in_force_of_each(assignments) -> dict:
    """Of assignments as read (rows or objects with citizen_id, effective_from and
    provider_id, none after the day asked about), the one in force for each citizen: the
    latest `effective_from`; a citizen whose latest is an end (no provider) has none."""
    latest = {}
    for a in assignments:
        seen = latest.get(a.citizen_id)
        if seen is None or a.effective_from > seen.effective_from:
            latest[a.citizen_id] = a
    return {cid: a for cid, a in latest.items() if a.provider_id is not None}


def assignment_on(session, citizen_id: int, on: date) -> ProviderAssignment | None:
    """The assignment (provider and care group) serving citizen `citizen_id` on `on`."""
    return assignments_on(session, [citizen_id], on).get(citizen_id)


def provider_on(session, citizen_id: int, on: date) -> Provider | None:
    """The provider serving citizen `citizen_id` on `on`, or None before their first one."""
    assignment = assignment_on(session, citizen_id, on)
    return assignment.provider if assignment else None


def history(session, citizen_id: int) -> list[ProviderAssignment]:
    """Every assignment of a citizen, oldest first (an end has no provider)."""
    return list(
        session.scalars(
            select(ProviderAssignment)
            .where(ProviderAssignment.citizen_id == citizen_id)
            .order_by(ProviderAssignment.effective_from)
        )
    )


def districts(session, active_only: bool = False) -> list[District]:
    """Every district by name (only those in use with `active_only`, for new choices)."""
    stmt = select(District).order_by(District.name)
    if active_only:
        stmt = stmt.where(District.active)
    return list(session.scalars(stmt))


def providers(session) -> list[Provider]:
    """Every provider by name."""
    return list(session.scalars(select(Provider).order_by(Provider.name)))


def care_groups(session, provider_id: int | None = None) -> list[CareGroup]:
    """Care groups by provider and name, of one provider when `provider_id` is given."""
    stmt = select(CareGroup).join(Provider).order_by(Provider.name, CareGroup.name)
    if provider_id is not None:
        stmt = stmt.where(CareGroup.provider_id == provider_id)
    return list(session.scalars(stmt.options(selectinload(CareGroup.provider))))
