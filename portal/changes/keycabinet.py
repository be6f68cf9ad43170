"""The key cabinet register: which physical keys (day/night) a provider holds for a citizen,
in which cabinet, and every handout and return with who and when.

key status   action              to           needs
(new)        store               in_cabinet   the citizen served by the cabinet's provider today
in_cabinet   hand_out            handed_out   the name of the person taking it
handed_out   put_back            in_cabinet   the name of the person bringing it back
in_cabinet,  return_to_citizen   returned     for good: who received it (the citizen, a relative,
handed_out                                    the estate's representative) and when: its own
                                              confirmed step, `keycabinet_handback.hand_back`
returned     return_corrected    (before)     a coordinator's correction of a mistaken hand-back,
                                              with a reason (`keycabinet_handback.correct`)
in_cabinet   move                in_cabinet   another cabinet of the citizen's provider today
                                              (after a provider switch the old provider hands
                                              the keys over to the new one's cabinet)

Provider admins keep their own provider's cabinets; coordinators read every cabinet.
The removal job's checklist reads `keycabinet_queries.held_keys` through
`portal.locksmith.registry` and the job, once done, marks the keys returned through
`portal.locksmith.signals.removal_done` (received by the person who signed for them:
`keycabinet_handback.on_removal_done`).
Services flush, never commit; each writes a key event and an audit record. The reads (cabinets,
their keys, a key's log) are in `keycabinet_queries`.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import Actor, record
from portal.changes.keycabinet_models import KEY_KINDS, CabinetKey, CabinetKeyEvent, KeyCabinet
from portal.citizens.models import Citizen
from portal.directory.queries import local_date, provider_on

# The everyday steps (`act`); the hand-back for good has its own confirmed step.
RULES = {
    "hand_out": (("in_cabinet",), "handed_out"),
    "put_back": (("handed_out",), "in_cabinet"),
}


class KeyCabinetError(Exception):
    """Base class of key cabinet errors."""


class CabinetNameTaken(KeyCabinetError):
    """The provider already has a cabinet with this name."""


class CitizenNotServed(KeyCabinetError):
    """No such citizen, or the cabinet's provider does not serve them today."""


class KeyAlreadyHeld(KeyCabinetError):
    """A key of this kind is already held for the citizen."""


class KeyStateError(KeyCabinetError):
    """The action does not fit the key's status (a returned key is returned for good)."""


class WrongCabinet(KeyCabinetError):
    """The cabinet does not exist or belongs to neither this provider nor the citizen's."""


class PersonMissing(KeyCabinetError):
    """Every handout and return names the person."""


def may_manage(user, cabinet: KeyCabinet | None) -> bool:
    """A provider admin manages their own provider's cabinets."""
    return (
        cabinet is not None
        and user.role == "provider_admin"
        and user.provider_id is not None
        and user.provider_id == cabinet.provider_id
    )


def may_see(user, cabinet: KeyCabinet | None) -> bool:
    """Coordinators see every cabinet; a provider admin their own."""
    return cabinet is not None and (user.role == "coordinator" or may_manage(user, cabinet))


def _clean(text: str | None, limit: int) -> str:
    return (text or "").strip()[:limit]


def create_cabinet(session, provider_id: int, name: str, location: str, *, now, actor):
    """A new cabinet for a provider (names are unique per provider)."""
    cabinet = KeyCabinet(
        provider_id=provider_id,
        name=_clean(name, 100),
        location=_clean(location, 200),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(cabinet)
            session.flush()
    except IntegrityError:
        raise CabinetNameTaken() from None
    record(
        session,
        actor,
        "key_cabinet.created",
        now=now,
        object_type="key_cabinet",
        object_id=cabinet.id,
        data={"provider": provider_id, "name": cabinet.name},
    )
    return cabinet


def _event(session, key, action, person, *, now, actor, note=None, audit=None, **extra) -> None:
    """Log the step on the key and in the audit trail (`extra`: the hand-back's recipient and
    received_on; `audit`: more for the audit record only)."""
    session.add(
        CabinetKeyEvent(
            key_id=key.id,
            at=now,
            action=action,
            person=person or None,
            actor=actor.describe(),
            note=_clean(note, 500) or None,
            **extra,
        )
    )
    session.flush()
    data = {"citizen": key.citizen_id, "kind": key.kind, "status": key.status}
    if person:
        data["person"] = person
    data.update({k: str(v) for k, v in {**extra, **(audit or {})}.items() if v is not None})
    record(
        session,
        actor,
        f"cabinet_key.{action}",
        now=now,
        object_type="cabinet_key",
        object_id=key.id,
        data=data,
    )


def store_key(session, cabinet, *, external_id, kind, tag, now: datetime, actor: Actor, tz: str):
    """Put a citizen's day or night key in the cabinet (the citizen by care-system id)."""
    citizen = session.scalar(select(Citizen).where(Citizen.external_id == _clean(external_id, 64)))
    if citizen is None or kind not in KEY_KINDS:
        raise CitizenNotServed()
    provider = provider_on(session, citizen.id, local_date(now, tz))
    if provider is None or provider.id != cabinet.provider_id:
        raise CitizenNotServed()
    key = CabinetKey(
        cabinet_id=cabinet.id,
        citizen_id=citizen.id,
        kind=kind,
        tag=_clean(tag, 40),
        status="in_cabinet",
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(key)
            session.flush()
    except IntegrityError:
        raise KeyAlreadyHeld() from None
    _event(session, key, "stored", None, now=now, actor=actor)
    return key


def claim(session, key: CabinetKey, action: str, sources, **values) -> None:
    """Change the key in one guarded UPDATE (only while its status is one of `sources`), so of
    two steps at once (two hand-outs from two browsers) one wins and the other gets
    KeyStateError; the key is read again either way."""
    changed = session.execute(
        update(CabinetKey)
        .where(CabinetKey.id == key.id, CabinetKey.status.in_(sources))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(key)
    if changed != 1:
        raise KeyStateError(action)


def act(session, key: CabinetKey, action: str, *, person, now, actor, note=None):
    """Hand a key out or put it back (see the table), naming the person."""
    if action not in RULES:
        raise KeyStateError(action)
    sources, target = RULES[action]
    if key.status not in sources:
        raise KeyStateError(action)
    person = _clean(person, 200)
    if not person:
        raise PersonMissing()
    holder = person if target == "handed_out" else None
    claim(session, key, action, sources, status=target, holder=holder)
    _event(session, key, action, person, now=now, actor=actor, note=note)
    return key


def move_choices(session, key: CabinetKey, *, now: datetime, tz: str) -> list[KeyCabinet]:
    """Cabinets the key may move to: its provider's others and the citizen's provider's."""
    provider = provider_on(session, key.citizen_id, local_date(now, tz))
    owners = {key.cabinet.provider_id} | ({provider.id} if provider else set())
    return list(
        session.scalars(
            select(KeyCabinet)
            .where(KeyCabinet.provider_id.in_(owners), KeyCabinet.id != key.cabinet_id)
            .order_by(KeyCabinet.provider_id, KeyCabinet.name)
        )
    )


def move_key(session, key: CabinetKey, cabinet_id, *, person, now, actor, tz: str, note=None):
    """Move a key in the cabinet to another cabinet (see move_choices), naming who carries it."""
    if key.status != "in_cabinet":
        raise KeyStateError("move")
    target = next(
        (c for c in move_choices(session, key, now=now, tz=tz) if c.id == cabinet_id), None
    )
    if target is None:
        raise WrongCabinet()
    person = _clean(person, 200)
    if not person:
        raise PersonMissing()
    before = key.cabinet.name
    claim(session, key, "move", ("in_cabinet",), cabinet_id=target.id)
    text = f"{before} -> {target.name}" + (f": {_clean(note, 400)}" if note else "")
    _event(session, key, "move", person, now=now, actor=actor, note=text)
    return key
