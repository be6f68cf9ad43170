"""Plain factories: make_x(session, **overrides) -> a flushed model."""

import itertools
import random
from datetime import UTC, date, datetime

from flask import current_app

from portal.accounts.services import create_user
from portal.citizens import lifecycle
from portal.citizens.register import create_citizen, letter_code_of
from portal.consent.models import Entrance, OwnerOrganisation, Property
from portal.directory.models import CareGroup, District, Provider

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# A factory citizen's first provider serves from long before any date a test looks at.
PROVIDER_FROM = date(2000, 1, 1)


def make_district(session, name=None):
    """A district."""
    district = District(name=name or f"District {next(_seq)}")
    session.add(district)
    session.flush()
    return district


def make_provider(session, name=None, kind="municipal"):
    """A provider."""
    provider = Provider(name=name or f"Provider {next(_seq)}", kind=kind)
    session.add(provider)
    session.flush()
    return provider


def make_care_group(session, provider=None, districts=(), night_patrol=False, name=None):
    """A care group serving the given districts."""
    group = CareGroup(
        provider=provider or make_provider(session),
        name=name or f"Group {next(_seq)}",
        night_patrol=night_patrol,
        districts=list(districts),
    )
    session.add(group)
    session.flush()
    return group


def valid_cpr(n: int, born: date = date(1940, 3, 24)) -> str:
    """A valid-format fake CPR number (serial chosen from n)."""
    return f"{born:%d%m%y}{n % 4}{n % 1000:03d}"


def set_status(citizen, target) -> None:
    """Move a citizen to `target` by the shortest chain of lifecycle events (never by hand)."""
    paths = {citizen.status: []}
    queue = [citizen.status]
    while queue and target not in paths:
        state = queue.pop(0)
        for event, rule in lifecycle.RULES.items():
            if event != "booking_cancelled" and state in rule.moves and rule.target not in paths:
                paths[rule.target] = [*paths[state], event]
                queue.append(rule.target)
    if target not in paths:
        raise ValueError(f"no way from {citizen.status} to {target}")
    for event in paths[target]:
        getattr(lifecycle, event)(citizen)


def make_citizen(session, **overrides):
    """A citizen with a provider assignment (`provider=`, `care_group=`, `provider_from=`);
    `status=` walks it there through the lifecycle; `.code` holds the plain letter code."""
    n = next(_seq)
    status = overrides.pop("status", None)
    district = overrides.pop("district", None) or make_district(session)
    care_group = overrides.pop("care_group", None)
    provider = overrides.pop("provider", None) or (
        care_group.provider if care_group else make_provider(session)
    )
    born = overrides.pop("date_of_birth", date(1940, 3, 24))
    data = {
        "external_id": f"EXT-{n}",
        "national_id": valid_cpr(n, born),
        "name": f"Citizen {n}",
        "date_of_birth": born,
        "address": f"Testvej {n}",
        "postcode": "4100",
        "city": "Demoby",
        "phone": "+4520123456",
        "email": None,
        "language": "da",
        "district_id": district.id,
        "provider_id": provider.id,
        "care_group_id": care_group.id if care_group else None,
        "provider_from": PROVIDER_FROM,
    }
    data.update(overrides)
    keyring = current_app.extensions["keyring"]
    citizen = create_citizen(session, keyring, data, now=NOW, rng=random.Random(n))
    citizen.code = letter_code_of(keyring, citizen)
    if status is not None:
        set_status(citizen, status)
        session.flush()
    return citizen


def make_user(session, role="coordinator", email=None, password=PASSWORD, **extra):
    """A staff or owner account."""
    n = next(_seq)
    return create_user(
        session,
        email or f"{role}{n}@test.example",
        f"{role.title()} {n}",
        password,
        role,
        now=NOW,
        **extra,
    )


def make_owner(session, **overrides):
    """An owner organisation with a contact person, an email and an organisation number."""
    n = next(_seq)
    data = {
        "name": f"Owner {n}",
        "contact_person": f"Kontakt {n}",
        "email": f"owner{n}@example.org",
        "phone": f"+4570{n:06d}",
        "postal_address": f"Kontorvej {n}",
        "postcode": "4100",
        "city": "Demoby",
        "org_number": f"{30000000 + n}",
        "language": "da",
    }
    owner = OwnerOrganisation(**(data | overrides))
    session.add(owner)
    session.flush()
    return owner


def make_property(session, owner=None, district=None, entrances=1, **overrides):
    """A building with entrances (street doors), owned by an organisation."""
    owner = owner or OwnerOrganisation(name=f"Owner {next(_seq)}")
    n = next(_seq)
    data = {
        "name": "Blok",
        "address": f"Blokvej {n}",
        "postcode": "4100",
        "city": "Demoby",
        "property_number": f"M-{n}",
    }
    prop = Property(
        owner=owner, district_id=district.id if district else None, **(data | overrides)
    )
    prop.entrances = [
        Entrance(label=f"Opgang {i + 1}", kind="street_door") for i in range(entrances)
    ]
    session.add(prop)
    session.flush()
    return prop
