"""The citizen register: create citizens, search and filter the list."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts import letter_codes
from portal.accounts.services import CODE_PURPOSE
from portal.citizens import lifecycle, validation
from portal.citizens.models import Citizen

NATIONAL_ID_PURPOSE = "national_id"


def create_citizen(session, keyring, data: dict, *, now, country: str = "DK", rng=None) -> Citizen:
    """Add a citizen with an encrypted national id and a fresh letter code (caller commits)."""
    national_id = data["national_id"]
    code = letter_codes.generate(rng)
    citizen = Citizen(
        external_id=data["external_id"],
        national_id_enc=keyring.encrypt(national_id, NATIONAL_ID_PURPOSE),
        national_id_index=keyring.blind_index(national_id, NATIONAL_ID_PURPOSE),
        national_id_masked=validation.mask_national_id(national_id, country),
        letter_code_enc=keyring.encrypt(code, CODE_PURPOSE),
        letter_code_index=keyring.blind_index(code, CODE_PURPOSE),
        created_at=now,
        updated_at=now,
        **{
            k: data.get(k)
            for k in (
                "name",
                "date_of_birth",
                "address",
                "postcode",
                "city",
                "phone",
                "email",
                "district_id",
                "provider_id",
                "care_group_id",
                "property_id",
            )
        },
        language=data.get("language") or "da",
        emergency_alarm=bool(data.get("emergency_alarm")),
    )
    lifecycle.registered(citizen)
    session.add(citizen)
    session.flush()
    return citizen


def letter_code_of(keyring, citizen: Citizen) -> str:
    """The citizen's letter code in clear, for printing their letter."""
    return keyring.decrypt(citizen.letter_code_enc, CODE_PURPOSE)


def national_id_of(keyring, citizen: Citizen) -> str:
    """The national id in clear: only for letters and exports, never for pages or logs."""
    return keyring.decrypt(citizen.national_id_enc, NATIONAL_ID_PURPOSE)


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
    """One page of results."""

    citizens: list
    total: int
    page: int
    pages: int


def search(session, query: RegisterQuery, page_size: int = 25) -> RegisterPage:
    """Filter by name or address words, district, provider and status; newest names first."""
    stmt = select(Citizen)
    for word in query.q.split()[:5]:
        # autoescape: % and _ typed by the user are searched for, not used as wildcards.
        word = word.lower()
        stmt = stmt.where(
            or_(
                func.lower(Citizen.name).contains(word, autoescape=True),
                func.lower(Citizen.address).contains(word, autoescape=True),
                func.lower(Citizen.city).contains(word, autoescape=True),
                Citizen.postcode.contains(word, autoescape=True),
                func.lower(Citizen.external_id).contains(word, autoescape=True),
            )
        )
    if query.district_id:
        stmt = stmt.where(Citizen.district_id == query.district_id)
    if query.provider_id:
        stmt = stmt.where(Citizen.provider_id == query.provider_id)
    if query.status:
        stmt = stmt.where(Citizen.status == query.status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // page_size))
    page = min(max(1, query.page), pages)
    rows = session.scalars(
        stmt.options(selectinload(Citizen.district), selectinload(Citizen.provider))
        .order_by(Citizen.name, Citizen.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return RegisterPage(rows, total, page, pages)
