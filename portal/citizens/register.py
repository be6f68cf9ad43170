"""The citizen register: create citizens, read their codes and national ids."""

from portal.citizens import letter_codes, lifecycle, validation
from portal.citizens.letter_codes import CODE_PURPOSE
from portal.citizens.models import Citizen
from portal.directory.services import register_provider

NATIONAL_ID_PURPOSE = "national_id"


def create_citizen(session, keyring, data: dict, *, now, country: str = "DK", rng=None) -> Citizen:
    """Add a citizen with an encrypted national id and a fresh letter code (caller commits).

    With `provider_id` in `data`, the citizen's first provider assignment (and `care_group_id`)
    takes effect on `data["provider_from"]`.
    """
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
                "property_id",
            )
        },
        language=data.get("language") or "da",
        emergency_alarm=bool(data.get("emergency_alarm")),
    )
    lifecycle.registered(citizen)
    session.add(citizen)
    session.flush()
    if data.get("provider_id"):
        register_provider(
            session,
            citizen.id,
            data["provider_id"],
            data.get("care_group_id"),
            data["provider_from"],
            now=now,
        )
    return citizen


def national_id_index_of(keyring, text: str, country: str) -> str | None:
    """The blind index to look a typed national id up by, or None when it is not one."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        value = validation.normalise_national_id(text.strip(), country)
    except ValueError:
        return None
    return keyring.blind_index(value, NATIONAL_ID_PURPOSE)


def letter_code_of(keyring, citizen: Citizen) -> str:
    """The citizen's letter code in clear, for printing their letter."""
    return keyring.decrypt(citizen.letter_code_enc, CODE_PURPOSE)


def national_id_of(keyring, citizen: Citizen) -> str:
    """The national id in clear: only for letters and exports, never for pages or logs."""
    return keyring.decrypt(citizen.national_id_enc, NATIONAL_ID_PURPOSE)
