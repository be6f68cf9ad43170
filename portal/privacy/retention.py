"""How long each kind of data is kept after a citizen's care ended, and who is due.

The periods are the catalog's defaults overlaid with what a coordinator stored (one row of
`municipality_setting`, key "retention", a JSON object kind -> days). Care ended on the date
of the citizen's last provider assignment when that assignment is an end (no provider) and the
citizen's status is care_ended (`portal.citizens.lifecycle`). A kind is due on the day its
period has passed: kept `days` days after the end, removed from day `days` on.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from portal.audit.services import Actor, record
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.directory.models import MunicipalitySetting, ProviderAssignment
from portal.privacy.catalog import KIND_KEYS, KINDS

SETTING = "retention"
MIN_DAYS, MAX_DAYS = 1, 36500


def periods(session) -> dict[str, int]:
    """Days kept after care ended, per kind (stored values over the defaults)."""
    out = {k.key: k.default_days for k in KINDS}
    row = session.get(MunicipalitySetting, SETTING)
    if row is not None:
        stored = json.loads(row.value)
        out.update({k: int(v) for k, v in stored.items() if k in out})
    return out


def save(session, values: dict[str, int], *, now: datetime, actor: Actor) -> list[str]:
    """Store new periods (every kind known, each within bounds); returns the changed kinds."""
    if set(values) != set(KIND_KEYS):
        raise KeyError(sorted(set(values) ^ set(KIND_KEYS)))
    if any(not isinstance(v, int) or not MIN_DAYS <= v <= MAX_DAYS for v in values.values()):
        raise ValueError("retention days out of bounds")
    before = periods(session)
    changed = [k for k in KIND_KEYS if before[k] != values[k]]
    if not changed:
        return []
    row = session.get(MunicipalitySetting, SETTING)
    if row is None:
        row = MunicipalitySetting(key=SETTING)
        session.add(row)
    row.value, row.updated_at = json.dumps(values, sort_keys=True), now
    session.flush()
    record(
        session,
        actor,
        "privacy.retention_changed",
        now=now,
        object_type="settings",
        object_id=SETTING,
        data={"days": values, "changed": changed},
    )
    return changed


@dataclass
class Due:
    """A citizen whose care ended, and the kinds of their data whose period has passed."""

    citizen_id: int
    ended_on: date
    kinds: list[str] = field(default_factory=list)


def care_ended_on(session) -> dict[int, date]:
    """Citizens whose care ended -> the date it ended (their last assignment is an end)."""
    last = (
        select(
            ProviderAssignment.citizen_id,
            func.max(ProviderAssignment.effective_from).label("on"),
        )
        .group_by(ProviderAssignment.citizen_id)
        .subquery()
    )
    rows = session.execute(
        select(Citizen.id, ProviderAssignment.effective_from)
        .join(last, last.c.citizen_id == Citizen.id)
        .join(
            ProviderAssignment,
            (ProviderAssignment.citizen_id == Citizen.id)
            & (ProviderAssignment.effective_from == last.c.on),
        )
        .where(
            Citizen.status == CitizenStatus.CARE_ENDED,
            ProviderAssignment.provider_id.is_(None),
        )
    )
    return dict(rows.all())


def due(session, today: date) -> list[Due]:
    """Every citizen with at least one kind due on `today` (kinds in catalog order)."""
    days = periods(session)
    out = []
    for citizen_id, ended in sorted(care_ended_on(session).items()):
        kinds = [k for k in KIND_KEYS if today >= ended + timedelta(days=days[k])]
        if "register" in kinds:
            kinds = list(KIND_KEYS)  # the register goes last and takes everything with it
        if kinds:
            out.append(Due(citizen_id, ended, kinds))
    return out
