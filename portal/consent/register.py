"""Services of the property register: owners, properties, entrances and who lives behind them.

Flush, never commit; every change is audited in the caller's transaction. A property that
changes owner is "sold": its entrances still waiting for an answer go back to not requested
(the buyer gets a request of their own) and the history says so.
"""

from sqlalchemy import select

from portal.audit.services import Actor
from portal.citizens.models import Citizen
from portal.consent import blanket, history, requests
from portal.consent.models import (
    ConsentStatus,
    Entrance,
    EntranceCitizen,
    EventKind,
    OwnerOrganisation,
    Property,
)

OWNER_FIELDS = (
    "name",
    "contact_person",
    "email",
    "phone",
    "postal_address",
    "postcode",
    "city",
    "org_number",
    "language",
)
PROPERTY_FIELDS = ("name", "property_number", "address", "postcode", "city", "district_id")
ENTRANCE_FIELDS = ("label", "kind", "door_phone", "electric_strike", "power_source", "notes")


class RegisterError(ValueError):
    """A register change that cannot be made; `code` names why, `field` where."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code, self.field = code, field


def _changes(obj, fields, values) -> dict:
    return {f: values[f] for f in fields if f in values and getattr(obj, f) != values[f]}


def save_owner(session, owner_id, values: dict, *, now, actor: Actor) -> OwnerOrganisation:
    """Create (owner_id None) or change an owner organisation."""
    number = values.get("org_number")
    if number:
        holder = session.scalar(
            select(OwnerOrganisation).where(OwnerOrganisation.org_number == number)
        )
        if holder is not None and holder.id != owner_id:
            raise RegisterError("org_number_taken", "org_number")
    owner = (
        OwnerOrganisation(created_at=now)
        if owner_id is None
        else session.get(OwnerOrganisation, owner_id)
    )
    if owner is None:
        raise RegisterError("not_found")
    changed = _changes(owner, OWNER_FIELDS, values)
    for key, value in changed.items():
        setattr(owner, key, value)
    session.add(owner)
    session.flush()
    action = "consent.owner_created" if owner_id is None else "consent.owner_changed"
    history.audited(session, actor, action, owner, now=now, fields=sorted(changed))
    return owner


def save_property(session, property_id, values: dict, *, now, actor: Actor) -> Property:
    """Create (property_id None) or change a property; a new owner_id records a sale."""
    if session.get(OwnerOrganisation, values.get("owner_id") or 0) is None:
        raise RegisterError("owner_missing", "owner_id")
    number = values.get("property_number")
    if number:
        holder = session.scalar(select(Property).where(Property.property_number == number))
        if holder is not None and holder.id != property_id:
            raise RegisterError("property_number_taken", "property_number")
    if property_id is None:
        prop = Property(owner_id=values["owner_id"], owner_since=now, created_at=now)
        session.add(prop)
        sold_from = None
    else:
        prop = session.get(Property, property_id)
        if prop is None:
            raise RegisterError("not_found")
        sold_from = prop.owner_id if prop.owner_id != values["owner_id"] else None
    changed = _changes(prop, PROPERTY_FIELDS, values)
    for key, value in changed.items():
        setattr(prop, key, value)
    session.flush()
    if sold_from is not None:
        _sold(session, prop, values["owner_id"], sold_from, now=now, actor=actor)
        changed["owner_id"] = values["owner_id"]
    action = "consent.property_created" if property_id is None else "consent.property_changed"
    history.audited(session, actor, action, prop, now=now, fields=sorted(changed))
    return prop


def _sold(session, prop: Property, new_owner: int, old_owner: int, *, now, actor) -> None:
    prop.owner_id, prop.owner_since = new_owner, now
    for entrance in prop.entrances:
        if entrance.consent_status == ConsentStatus.REQUESTED:
            entrance.consent_status = ConsentStatus.NOT_REQUESTED
            entrance.consent_changed_at = now
    history.log(
        session,
        prop.id,
        EventKind.OWNER_CHANGED,
        now=now,
        actor=actor,
        note=f"{old_owner} -> {new_owner}",
    )
    session.flush()
    requests.cancel_for_sale(session, prop, old_owner, now=now, actor=actor)
    # The buyer's blanket consent covers the building it bought.
    for entrance in prop.entrances:
        blanket.apply_to_new_entrance(session, entrance, now=now, actor=actor)


def save_entrance(session, entrance_id, property_id, values: dict, *, now, actor) -> Entrance:
    """Create (entrance_id None) or change an entrance of a property (not its consent)."""
    if entrance_id is None:
        if session.get(Property, property_id or 0) is None:
            raise RegisterError("not_found")
        entrance = Entrance(property_id=property_id)
        session.add(entrance)
    else:
        entrance = session.get(Entrance, entrance_id)
        if entrance is None or entrance.property_id != property_id:
            raise RegisterError("not_found")
    changed = _changes(entrance, ENTRANCE_FIELDS, values)
    for key, value in changed.items():
        setattr(entrance, key, value)
    session.flush()
    action = "consent.entrance_created" if entrance_id is None else "consent.entrance_changed"
    history.audited(session, actor, action, entrance, now=now, fields=sorted(changed))
    if entrance_id is None:  # the owner's blanket consent covers its future entrances too
        blanket.apply_to_new_entrance(session, entrance, now=now, actor=actor)
    return entrance


def set_behind(session, entrance_id: int, citizen_id: int, needed, *, now, actor, user_id=None):
    """Correct who lives behind an entrance: needed True/False, or None to follow the address."""
    entrance = session.get(Entrance, entrance_id)
    if entrance is None or session.get(Citizen, citizen_id) is None:
        raise RegisterError("not_found")
    row = session.scalar(
        select(EntranceCitizen).where(
            EntranceCitizen.entrance_id == entrance_id, EntranceCitizen.citizen_id == citizen_id
        )
    )
    if needed is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            EntranceCitizen(
                entrance_id=entrance_id,
                citizen_id=citizen_id,
                needed=needed,
                changed_by_user_id=user_id,
                changed_at=now,
            )
        )
    else:
        row.needed, row.changed_by_user_id, row.changed_at = needed, user_id, now
    session.flush()
    history.audited(
        session,
        actor,
        "consent.behind_changed",
        entrance,
        now=now,
        citizen=citizen_id,
        needed=needed,
    )
