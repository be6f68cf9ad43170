"""Reads of the key cabinet register: cabinets and their keys, a citizen's keys, a key's log,
and the provider's own citizens to store a key for. The rules that change keys are in
`keycabinet`.
"""

from datetime import datetime

from sqlalchemy import func, select

from portal.changes.keycabinet_models import CabinetKey, CabinetKeyEvent, KeyCabinet
from portal.citizens.models import Citizen
from portal.consent.citizen_lookup import Found, find_citizens
from portal.directory.queries import citizen_ids_served_by, local_date
from portal.locksmith.registry import HeldKey


def find_served(session, provider_id: int, text: str, *, now: datetime, tz: str) -> Found:
    """The provider's own citizens (served today) that `text` means: by care-system id, or
    those whose name holds every word of it (consent's entrance lookup, limited to them)."""
    served = Citizen.id.in_(citizen_ids_served_by(provider_id, local_date(now, tz)))
    return find_citizens(session, text, None, within=served)


def held_keys(session, citizen_id: int) -> list[HeldKey]:
    """The keys held for a citizen (registered with the locksmith's removal checklist)."""
    rows = session.execute(
        select(CabinetKey, KeyCabinet.name)
        .join(KeyCabinet, KeyCabinet.id == CabinetKey.cabinet_id)
        .where(CabinetKey.citizen_id == citizen_id, CabinetKey.status != "returned")
        .order_by(CabinetKey.kind)
    )
    return [HeldKey(key.id, key.kind, key.holder or name) for key, name in rows]


def cabinets(session, provider_id: int | None):
    """Cabinets (of one provider, or all) with the number of keys held in each."""
    held = (
        select(CabinetKey.cabinet_id, func.count().label("n"))
        .where(CabinetKey.status != "returned")
        .group_by(CabinetKey.cabinet_id)
        .subquery()
    )
    stmt = (
        select(KeyCabinet, func.coalesce(held.c.n, 0))
        .outerjoin(held, held.c.cabinet_id == KeyCabinet.id)
        .order_by(KeyCabinet.provider_id, KeyCabinet.name)
    )
    if provider_id is not None:
        stmt = stmt.where(KeyCabinet.provider_id == provider_id)
    return list(session.execute(stmt))


def keys_in(session, cabinet_id: int, *, returned: bool = False) -> list[CabinetKey]:
    """The keys of a cabinet, by citizen name (returned ones only when asked)."""
    stmt = (
        select(CabinetKey)
        .join(Citizen, Citizen.id == CabinetKey.citizen_id)
        .where(CabinetKey.cabinet_id == cabinet_id)
        .order_by(Citizen.name, CabinetKey.kind)
    )
    if not returned:
        stmt = stmt.where(CabinetKey.status != "returned")
    return list(session.scalars(stmt))


def keys_of_citizen(session, citizen_id: int) -> list[CabinetKey]:
    """Every key registered for a citizen (returned ones too), newest first."""
    return list(
        session.scalars(
            select(CabinetKey)
            .where(CabinetKey.citizen_id == citizen_id)
            .order_by(CabinetKey.id.desc())
        )
    )


def events(session, key_id: int) -> list[CabinetKeyEvent]:
    """A key's log, newest first."""
    return list(
        session.scalars(
            select(CabinetKeyEvent)
            .where(CabinetKeyEvent.key_id == key_id)
            .order_by(CabinetKeyEvent.at.desc(), CabinetKeyEvent.id.desc())
        )
    )
