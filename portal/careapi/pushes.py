"""What the care system pushes: a new citizen, a provider change, a move, care ended, a death.

Each push calls the same domain services a coordinator's action does (the import's row check
and `create_citizen`; `changes.decisions.register` with source "care_system"), so the register,
the provider assignments, the keys and the audit trail change exactly as they would by hand.
Flush, never commit.
"""

from datetime import date, datetime

from sqlalchemy import func, or_, select

from portal.audit.services import Actor, record
from portal.changes import decisions, services
from portal.changes.models import ChangeRequest
from portal.citizens.import_rows import Lookups, RowError, check_row
from portal.citizens.models import Citizen
from portal.citizens.register import NATIONAL_ID_PURPOSE, create_citizen
from portal.directory.models import District, Provider
from portal.directory.queries import citizen_ids_served_by


class PushRefused(Exception):
    """A push that cannot be made: `slug` names the problem, `errors` the fields."""

    def __init__(self, slug: str, detail: str = "", errors: list[dict] | None = None):
        super().__init__(slug)
        self.slug, self.detail, self.errors = slug, detail, errors or []


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def new_citizen(
    session,
    keyring,
    body: dict,
    *,
    on: date,
    country: str,
    default_language: str,
    now: datetime,
    actor: Actor,
    provider_id: int | None = None,
) -> Citizen:
    """Register a citizen as one row of an import would (checked by the same rules); a token
    bound to a provider (`provider_id`) registers that provider's citizens only."""
    raw = {key: _text(value) for key, value in body.items()}
    problems: list[RowError] = []
    row = check_row(1, raw, Lookups(session), country, default_language, problems)
    if row is None:
        errors = [{"field": p.column, "message": str(p.message)} for p in problems]
        raise PushRefused("invalid-citizen", errors=errors)
    if provider_id is not None and row["provider_id"] != provider_id:
        message = "This token registers citizens of its own provider only"
        raise PushRefused("invalid-citizen", errors=[{"field": "provider", "message": message}])
    index = keyring.blind_index(row["national_id"], NATIONAL_ID_PURPOSE)
    clash = session.scalar(
        select(Citizen.id).where(
            or_(Citizen.external_id == row["external_id"], Citizen.national_id_index == index)
        )
    )
    if clash is not None:
        raise PushRefused("citizen-exists")
    citizen = create_citizen(
        session, keyring, {**row, "provider_from": on}, now=now, country=country
    )
    record(
        session,
        actor,
        "citizen.created",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"source": "care_system", "external_id": citizen.external_id},
    )
    return citizen


def _by_name(session, model, name: str | None):
    if not name:
        return None
    return session.scalar(select(model).where(func.lower(model.name) == name.strip().lower()))


def _provider_id(session, name: str | None, field: str = "provider") -> int | None:
    if not name:
        return None
    provider = _by_name(session, Provider, name)
    if provider is None or not provider.active:
        raise PushRefused("unknown-reference", errors=[{"field": field, "message": "is unknown"}])
    return provider.id


def details_of(session, kind: str, body: dict) -> tuple[str, services.Details, int | None]:
    """The change kind, its details and (for a move) the provider at the new address."""
    try:
        effective_on = date.fromisoformat(body["effective_on"])
    except ValueError:
        errors = [{"field": "effective_on", "message": "is not a date"}]
        raise PushRefused("invalid-request", errors=errors) from None
    note = body.get("note")
    if kind == "provider-change":
        provider_id = _provider_id(session, body["provider"])
        return "switch", services.Details(effective_on, provider_id=provider_id, note=note), None
    if kind == "move":
        district = _by_name(session, District, body.get("district"))
        if body.get("district") and district is None:
            raise PushRefused(
                "unknown-reference", errors=[{"field": "district", "message": "is unknown"}]
            )
        details = services.Details(
            effective_on,
            inside=body["inside"],
            address=body["address"],
            postcode=body["postcode"],
            city=body["city"],
            district_id=district.id if district else None,
            note=note,
        )
        return "move", details, _provider_id(session, body.get("provider"))
    reason = "deceased" if kind == "death" else "care_ended"
    details = services.Details(
        effective_on, reason=reason, estate_contact=body.get("estate_contact"), note=note
    )
    return "leave", details, None


def change(
    session, citizen: Citizen, kind: str, body: dict, *, now: datetime, actor: Actor, policy
) -> ChangeRequest:
    """Register a change from the care system, approved at once as a coordinator would."""
    change_kind, details, provider_id = details_of(session, kind, body)
    return decisions.register(
        session,
        citizen,
        change_kind,
        details,
        source="care_system",
        now=now,
        actor=actor,
        policy=policy,
        provider_id=provider_id,
    )


def citizen_by_external_id(
    session, external_id: str, *, provider_id: int | None = None, on: date | None = None
) -> Citizen | None:
    """A citizen by the care system's id; for a token bound to a provider (`provider_id`),
    only a citizen that provider serves on `on` (as its feeds show), else None."""
    stmt = select(Citizen).where(Citizen.external_id == external_id[:64])
    if provider_id is not None:
        stmt = stmt.where(Citizen.id.in_(citizen_ids_served_by(provider_id, on)))
    return session.scalar(stmt)
