"""Lock-unit inventory: the one writer of `LockUnit.state` (and of `active`, derived from it).

States and the actions between them (anything else raises `IllegalUnitTransition`):

action          from                                   to
registered      (new unit, at a fitting)               fitted
received        (new unit, delivered to the depot)     in_stock
fit             in_stock                               fitted
move            fitted                                 fitted  (relocation: same unit, new home)
remove          fitted                                 removed (door restored)
mark_defective  in_stock, removed                      defective
send_to_repair  removed, defective                     in_repair
record_reset    removed, in_repair                     (stays)  sets reset_at
back_to_stock   removed, in_repair                     in_stock  only after a reset (ResetMissing)
scrap           in_stock, removed, defective, in_repair scrapped (for good)

A fitted unit is never marked defective in place: staff would lose the door. It is removed
(a repair or removal job) first. Every step writes a `LockUnitHistory` row and an audit record
in the caller's transaction; nothing here commits.
"""

from datetime import datetime

from sqlalchemy import func, select

from portal.access.models import UNIT_STATES, LockUnit
from portal.access.models_inventory import LockUnitHistory
from portal.audit.services import Actor, record

FITTED = "fitted"
RULES: dict[str, tuple[frozenset, str | None]] = {
    "fit": (frozenset({"in_stock"}), FITTED),
    "move": (frozenset({FITTED}), FITTED),
    "remove": (frozenset({FITTED}), "removed"),
    "mark_defective": (frozenset({"in_stock", "removed"}), "defective"),
    "send_to_repair": (frozenset({"removed", "defective"}), "in_repair"),
    "record_reset": (frozenset({"removed", "in_repair"}), None),
    "back_to_stock": (frozenset({"removed", "in_repair"}), "in_stock"),
    "scrap": (frozenset({"in_stock", "removed", "defective", "in_repair"}), "scrapped"),
}
# What a coordinator may do from the inventory pages (the others belong to locksmith jobs).
COORDINATOR_ACTIONS = ("mark_defective", "send_to_repair", "record_reset", "back_to_stock", "scrap")


class InventoryError(Exception):
    """Base class of inventory errors."""


class IllegalUnitTransition(InventoryError):
    """This action is not allowed from the unit's state."""

    def __init__(self, unit_id: int, action: str, state: str):
        super().__init__(f"unit {unit_id}: {action} not allowed from {state}")
        self.unit_id, self.action, self.state = unit_id, action, state


class ResetMissing(InventoryError):
    """A removed or repaired unit goes back to stock only after a reset is recorded."""


class UnknownAction(InventoryError):
    """No such inventory action."""


def place_of(unit: LockUnit) -> str | None:
    """Where a fitted unit is, as one line (the citizen's address or the entrance)."""
    if unit.citizen is not None:
        c = unit.citizen
        return f"{c.address}, {c.postcode} {c.city}"
    if unit.entrance is not None:
        prop = unit.entrance.property
        return f"{prop.address}, {prop.postcode} {prop.city} ({unit.entrance.label})"
    return None


def places(session, units) -> dict[int, str | None]:
    """Where each fitted unit is: the place of its newest history step (a unit registered
    before the inventory existed: its citizen's or entrance's address). Not fitted: None.

    The history, not the citizen's address, because a citizen who is moving already has the
    new address while the unit is still on the old door until the relocation is done.
    """
    fitted = [u for u in units if u.state == FITTED]
    newest = (
        select(LockUnitHistory.lock_unit_id, func.max(LockUnitHistory.id).label("id"))
        .where(LockUnitHistory.lock_unit_id.in_([u.id for u in fitted]))
        .group_by(LockUnitHistory.lock_unit_id)
        .subquery()
    )
    rows = session.execute(
        select(LockUnitHistory.lock_unit_id, LockUnitHistory.place).join(
            newest, newest.c.id == LockUnitHistory.id
        )
    )
    found = {unit_id: place for unit_id, place in rows if place}
    return {u.id: (found.get(u.id) or place_of(u)) if u.state == FITTED else None for u in units}


def allowed_actions(unit: LockUnit, actions=COORDINATOR_ACTIONS) -> list[str]:
    """The actions the unit's state allows (back_to_stock only once reset)."""
    return [
        a
        for a in actions
        if unit.state in RULES[a][0] and (a != "back_to_stock" or unit.reset_at is not None)
    ]


def _step(session, unit: LockUnit, action: str, *, now, actor: Actor, note=None, place=None):
    if action not in RULES:
        raise UnknownAction(action)
    sources, target = RULES[action]
    if unit.state not in sources:
        raise IllegalUnitTransition(unit.id, action, unit.state)
    if action == "back_to_stock" and unit.reset_at is None:
        raise ResetMissing(unit.id)
    before = unit.state
    unit.state = target or before
    unit.active = unit.state == FITTED
    _history(session, unit, action, before, now=now, actor=actor, note=note, place=place)
    return unit


def _history(session, unit, action, before, *, now, actor, note=None, place=None) -> None:
    note = (note or "").strip()[:1000] or None
    session.add(
        LockUnitHistory(
            lock_unit_id=unit.id,
            at=now,
            action=action,
            from_state=before,
            to_state=unit.state,
            place=place,
            actor=actor.describe(),
            note=note,
        )
    )
    session.flush()
    data = {"from": before, "to": unit.state, "serial": unit.serial}
    if note:
        data["note"] = note
    record(
        session,
        actor,
        f"lock_unit.{action}",
        now=now,
        object_type="lock_unit",
        object_id=unit.id,
        data=data,
    )


def registered(session, unit: LockUnit, *, now: datetime, actor: Actor) -> None:
    """A new unit was registered fitted: its first history row."""
    unit.state, unit.active, unit.reset_at = FITTED, True, None
    session.flush()
    _history(session, unit, "registered", None, now=now, actor=actor, place=place_of(unit))


def received(session, unit: LockUnit, *, now: datetime, actor: Actor) -> None:
    """A new unit was registered in stock: its first history row."""
    unit.state, unit.active = "in_stock", False
    session.flush()
    _history(session, unit, "received", None, now=now, actor=actor, place="depot")


def fit(session, unit, *, citizen_id=None, entrance_id=None, now, actor, public_key_pem=None):
    """A unit from stock is fitted at a citizen's door or an entrance."""
    if unit.state not in RULES["fit"][0]:
        raise IllegalUnitTransition(unit.id, "fit", unit.state)
    unit.citizen_id, unit.entrance_id = citizen_id, entrance_id
    unit.installed_at, unit.reset_at = now, None
    if public_key_pem is not None:
        unit.public_key_pem = public_key_pem  # a reset unit may come back with a new key
    session.flush()
    session.refresh(unit, ["citizen", "entrance"])
    return _step(session, unit, "fit", now=now, actor=actor, place=place_of(unit))


def move(session, unit: LockUnit, *, place: str, now: datetime, actor: Actor, note=None):
    """The same unit is fitted at the citizen's new home (a relocation)."""
    _step(session, unit, "move", now=now, actor=actor, note=note, place=place)
    unit.installed_at = now
    return unit


def remove(session, unit: LockUnit, *, now: datetime, actor: Actor, note=None) -> LockUnit:
    """The unit is taken off the door: no place, no door rights, waits for a reset."""
    was = place_of(unit)
    unit.citizen_id, unit.entrance_id, unit.reset_at = None, None, None
    note = note or (f"from {was}" if was else None)
    return _step(session, unit, "remove", now=now, actor=actor, note=note, place="depot")


def apply(session, unit: LockUnit, action: str, *, now: datetime, actor: Actor, note=None):
    """A coordinator's action on a unit that is not on a door (see COORDINATOR_ACTIONS)."""
    if action not in COORDINATOR_ACTIONS:
        raise UnknownAction(action)
    if action == "record_reset":
        _step(session, unit, action, now=now, actor=actor, note=note, place="depot")
        unit.reset_at = now
        return unit
    return _step(session, unit, action, now=now, actor=actor, note=note, place="depot")


def history(session, unit_id: int) -> list[LockUnitHistory]:
    """A unit's history, newest first."""
    return list(
        session.scalars(
            select(LockUnitHistory)
            .where(LockUnitHistory.lock_unit_id == unit_id)
            .order_by(LockUnitHistory.at.desc(), LockUnitHistory.id.desc())
        )
    )


def counts(session) -> dict[str, int]:
    """Number of units per state (every state, zero included)."""
    rows = session.execute(select(LockUnit.state, func.count()).group_by(LockUnit.state))
    found = {state: n for state, n in rows}
    return {state: found.get(state, 0) for state in UNIT_STATES}


def units(session, *, state: str | None = None, kind: str | None = None, q: str | None = None):
    """Units for the inventory list, filtered by state, kind and serial/lock number."""
    stmt = select(LockUnit)
    if state in UNIT_STATES:
        stmt = stmt.where(LockUnit.state == state)
    if kind in ("door", "entrance"):
        stmt = stmt.where(LockUnit.kind == kind)
    text = (q or "").strip()[:64]
    if text:
        clause = LockUnit.serial.ilike(f"%{_escape(text)}%", escape="\\")
        if text.isascii() and text.isdigit() and len(text) < 12:
            clause = clause | (LockUnit.lock_id == int(text))
        stmt = stmt.where(clause)
    return stmt.order_by(LockUnit.lock_id)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
