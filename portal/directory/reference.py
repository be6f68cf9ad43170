"""Write the reference data: districts, providers and care groups (flush, never commit).

Every change is audited. Nothing is ever deleted: a district, provider or care group that is no
longer used is deactivated, and deactivating one that is still in use is refused with the
reasons (`InUse.reasons`), never cascaded to the citizens or teams that depend on it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import column, func, select, table

from portal.audit.services import Actor, record
from portal.directory.models import CareGroup, District, Provider, care_group_districts
from portal.directory.queries import citizen_ids_served_by, in_force
from portal.web.text import has_control

# The register's table by name: directory sits below citizens and must not import it.
_CITIZENS = table("citizen", column("id"), column("district_id"))
KINDS = ("municipal", "private")


class ReferenceError(ValueError):
    """A reference-data change that cannot be made."""


class NameTaken(ReferenceError):
    """Another record of this kind already has the name."""


class NotOneLine(ReferenceError):
    """A name holds a line break, tab or hidden control character; `field` says which."""

    def __init__(self, field: str, value: str):
        super().__init__(field, value)
        self.field, self.value = field, value


def _one_line(**texts) -> None:
    # Names go onto letters, lists and the lock's manifest: one line each (see web.text).
    for field, value in texts.items():
        if has_control(value or ""):
            raise NotOneLine(field, value)


class NotActive(ReferenceError):
    """A deactivated provider or district cannot be chosen for something new."""


@dataclass
class InUse(ReferenceError):
    """Still in use; `reasons` are (code, count or names) pairs a view turns into sentences."""

    reasons: list

    def __str__(self) -> str:
        return "; ".join(f"{code}: {what}" for code, what in self.reasons)


def _audit(session, actor, action, obj, now, **data):
    record(
        session,
        actor,
        action,
        now=now,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        data={"name": obj.name, **data},
    )


def _unique(session, model, name, own_id=None, **scope):
    stmt = select(model.id).where(func.lower(model.name) == name.lower())
    for key, value in scope.items():
        stmt = stmt.where(getattr(model, key) == value)
    found = session.scalar(stmt)
    if found is not None and found != own_id:
        raise NameTaken(name)


def save_district(session, district, name: str, *, now: datetime, actor: Actor) -> District:
    """Create (district None) or rename a district."""
    name = name.strip()
    _one_line(name=name)
    _unique(session, District, name, district.id if district else None)
    created = district is None
    if created:
        district = District(name=name, active=True)
        session.add(district)
    before = district.name
    district.name = name
    session.flush()
    if created:
        _audit(session, actor, "district.created", district, now)
    elif before != name:
        _audit(session, actor, "district.renamed", district, now, before=before)
    return district


def save_provider(session, provider, data: dict, *, now: datetime, actor: Actor) -> Provider:
    """Create (provider None) or change a provider: name, kind, contact name, phone, email."""
    if data["kind"] not in KINDS:
        raise ReferenceError(data["kind"])
    data = {**data, "name": data["name"].strip()}
    _one_line(name=data["name"], contact_name=data.get("contact_name"))
    _unique(session, Provider, data["name"], provider.id if provider else None)
    created = provider is None
    if created:
        provider = Provider(active=True)
        session.add(provider)
    before = {k: getattr(provider, k) for k in data}
    for key, value in data.items():
        setattr(
            provider, key, value or None if key in ("contact_name", "phone", "email") else value
        )
    session.flush()
    changed = sorted(k for k in data if before[k] != getattr(provider, k))
    if created or changed:
        action = "provider.created" if created else "provider.changed"
        _audit(session, actor, action, provider, now, changed=changed)
    return provider


def save_care_group(session, group, data: dict, *, now: datetime, actor: Actor) -> CareGroup:
    """Create (group None) or change a care group: provider, name, districts, night patrol."""
    provider = session.get(Provider, data["provider_id"])
    if provider is None:
        raise ReferenceError("provider")
    districts = list(session.scalars(select(District).where(District.id.in_(data["district_ids"]))))
    if len(districts) != len(set(data["district_ids"])) or not districts:
        raise ReferenceError("districts")
    old_districts = {d.id for d in group.districts} if group else set()
    if (group is None or group.provider_id != provider.id) and not provider.active:
        raise NotActive(provider.name)
    if any(not d.active and d.id not in old_districts for d in districts):
        raise NotActive(", ".join(d.name for d in districts if not d.active))
    name = data["name"].strip()
    _one_line(name=name)
    _unique(session, CareGroup, name, group.id if group else None, provider_id=provider.id)
    created = group is None
    if created:
        group = CareGroup(active=True)
        session.add(group)
    group.provider, group.name = provider, name
    group.night_patrol = bool(data.get("night_patrol"))
    group.districts = districts
    session.flush()
    _audit(
        session,
        actor,
        "care_group.created" if created else "care_group.changed",
        group,
        now,
        provider_id=provider.id,
        district_ids=sorted(d.id for d in districts),
        night_patrol=group.night_patrol,
    )
    return group


def _count(session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery()))


def uses_of_district(session, district: District) -> list:
    """Why a district cannot be deactivated now (empty when it can)."""
    reasons = []
    citizens = _count(session, select(_CITIZENS.c.id).where(_CITIZENS.c.district_id == district.id))
    if citizens:
        reasons.append(("citizens", citizens))
    groups = session.scalars(
        select(CareGroup.name)
        .join(care_group_districts, care_group_districts.c.care_group_id == CareGroup.id)
        .where(care_group_districts.c.district_id == district.id, CareGroup.active)
        .order_by(CareGroup.name)
    ).all()
    if groups:
        reasons.append(("care_groups", ", ".join(groups)))
    return reasons


def uses_of_provider(session, provider: Provider, on: date) -> list:
    """Why a provider cannot be deactivated on `on` (empty when it can)."""
    reasons = []
    citizens = _count(session, citizen_ids_served_by(provider.id, on))
    if citizens:
        reasons.append(("citizens", citizens))
    groups = [g.name for g in provider.care_groups if g.active]
    if groups:
        reasons.append(("care_groups", ", ".join(sorted(groups))))
    return reasons


def uses_of_care_group(session, group: CareGroup, on: date) -> list:
    """Why a care group cannot be deactivated on `on` (empty when it can)."""
    current = in_force(on)
    citizens = _count(session, select(current.citizen_id).where(current.care_group_id == group.id))
    return [("citizens", citizens)] if citizens else []


def set_active(session, obj, active: bool, *, on: date, now: datetime, actor: Actor):
    """Deactivate (refused with InUse while something depends on it) or reactivate."""
    if obj.active == active:
        return obj
    if not active:
        if isinstance(obj, District):
            reasons = uses_of_district(session, obj)
        elif isinstance(obj, Provider):
            reasons = uses_of_provider(session, obj, on)
        else:
            reasons = uses_of_care_group(session, obj, on)
        if reasons:
            raise InUse(reasons)
    elif isinstance(obj, CareGroup) and not obj.provider.active:
        raise NotActive(obj.provider.name)
    obj.active = active
    session.flush()
    kind = type(obj).__name__.lower().replace("caregroup", "care_group")
    _audit(session, actor, f"{kind}.{'reactivated' if active else 'deactivated'}", obj, now)
    return obj
