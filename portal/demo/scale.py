"""A fake register of any size for benchmarks (`flask seed-scale`): 100,000 citizens and
10 million lock events in minutes, on SQLite and PostgreSQL.

Written in bulk with explicit ids (so lock events and the visits derived from them reference
each other without reading ids back): Core inserts in batches, and COPY on PostgreSQL for the
big tables (`portal.demo.scale_events`). National ids and letter codes are encrypted with
their blind indexes exactly as the importer writes them. Everything is fake: names from the
demo lists, national ids drawn from the date of birth, one throwaway lock key for every unit.
Runs on top of what the database already holds (ids, external ids and numbers continue).
"""

import random
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, insert, select

from portal.access.models import LockUnit, Staff, staff_care_groups
from portal.accounts.passwords import hash_password
from portal.audit.services import SYSTEM, record
from portal.citizens import letter_codes, search, validation
from portal.citizens.folding import search_document
from portal.citizens.letter_codes import CODE_PURPOSE
from portal.citizens.lifecycle import CitizenStatus as S
from portal.citizens.models import Citizen
from portal.citizens.register import NATIONAL_ID_PURPOSE
from portal.demo import scale_events
from portal.demo.names import FIRST, LAST, STREETS
from portal.directory.models import (
    CareGroup,
    District,
    Provider,
    ProviderAssignment,
)
from portal.directory.queries import local_date
from portal.web.production import DEMO_MARKER

BATCH = 5000
# Statuses a citizen can hold without records this seed does not write (appointments, requests).
STATUS_MIX = (
    (S.FITTED, 70),
    (S.REGISTERED, 10),
    (S.LETTER_SENT, 10),
    (S.FOLLOW_UP, 3),
    (S.OPTED_OUT, 4),
    (S.DOOR_RESTORED, 2),
    (S.CARE_ENDED, 1),
)
WITH_LOCK = {S.FITTED}
CITIZENS_PER_STAFF = 20
# A fixed, fake public key for every seeded unit: the seeded events carry no signature.
FAKE_LOCK_PEM = "-----BEGIN PUBLIC KEY-----\nscale-seed: not a real key\n-----END PUBLIC KEY-----\n"


def _next_id(session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _bulk(session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def _directory(session, rng, citizens: int, tag: str) -> dict:
    """Districts (one per 2,000 citizens, 3 to 50), a municipal team per district and a night
    patrol, and three private providers with one team each serving every district."""
    count = max(3, min(50, citizens // 2000))
    districts = [District(name=f"Skala {tag} distrikt {n + 1}") for n in range(count)]
    municipal = Provider(name=f"Skala {tag} Kommune", kind="municipal")
    privates = [Provider(name=f"Skala {tag} Omsorg {n + 1}", kind="private") for n in range(3)]
    session.add_all([*districts, municipal, *privates])
    teams = [CareGroup(provider=municipal, name=f"Team {d.name}", districts=[d]) for d in districts]
    night = CareGroup(provider=municipal, name="Nattevagt", night_patrol=True, districts=districts)
    private_teams = [
        CareGroup(provider=p, name=f"{p.name} Team", districts=districts) for p in privates
    ]
    session.add_all([*teams, night, *private_teams])
    session.flush()
    postcodes = [(f"{4000 + 10 * n}", f"Skalaby {n + 1}") for n in range(count)]
    return {
        "districts": districts,
        "postcodes": postcodes,
        "municipal": municipal,
        "privates": privates,
        "teams": teams,
        "night": night,
        "private_teams": private_teams,
    }


def _name(rng) -> str:
    last = rng.choice(LAST)
    if rng.random() < 0.3:
        last = f"{last}-{rng.choice(LAST)}"
    middle = f" {rng.choice(FIRST)}" if rng.random() < 0.4 else ""
    return f"{rng.choice(FIRST)}{middle} {last}"


def _national_id(rng, keyring, born: date, taken: set) -> tuple[str, str]:
    while True:
        value = f"{born:%d%m%y}{rng.randint(0, 3)}{rng.randint(0, 999):03d}"
        index = keyring.blind_index(value, NATIONAL_ID_PURPOSE)
        if index not in taken:
            taken.add(index)
            return value, index


def _citizens(session, keyring, rng, ref: dict, n: int, *, now, today, country) -> list[dict]:
    """Citizen rows and their provider assignments; returns [{id, group, status, district}]."""
    first_id = _next_id(session, Citizen)
    taken = set(session.scalars(select(Citizen.national_id_index)))
    statuses = [s for s, w in STATUS_MIX for _ in range(w)]
    provider_from = today - timedelta(days=2 * 365)
    rows, assignments, made = [], [], []
    for k in range(n):
        cid = first_id + k
        d_index = rng.randrange(len(ref["districts"]))
        district = ref["districts"][d_index]
        postcode, city = ref["postcodes"][d_index]
        private = rng.random() < 0.25
        group = rng.choice(ref["private_teams"]) if private else ref["teams"][d_index]
        born = date(1920, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
        national_id, index = _national_id(rng, keyring, born, taken)
        code = letter_codes.generate(rng)
        status = rng.choice(statuses)
        rows.append(
            {
                "id": cid,
                "external_id": f"SK-{cid:08d}",
                "national_id_enc": keyring.encrypt(national_id, NATIONAL_ID_PURPOSE),
                "national_id_index": index,
                "national_id_masked": validation.mask_national_id(national_id, country),
                "name": _name(rng),
                "date_of_birth": born,
                "address": f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                "postcode": postcode,
                "city": city,
                "phone": f"+452{rng.randint(0, 9999999):07d}",
                "email": f"skala{cid}@demo.example" if rng.random() < 0.3 else None,
                "language": "sv" if rng.random() < 0.03 else "da",
                "district_id": district.id,
                "property_id": None,
                "emergency_alarm": rng.random() < 0.4,
                "status": str(status),
                "letter_code_enc": keyring.encrypt(code, CODE_PURPOSE),
                "letter_code_index": keyring.blind_index(code, CODE_PURPOSE),
                "code_failures": 0,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        rows[-1]["search_doc"] = search_document(rows[-1])  # Core inserts skip the ORM's event
        assignments.append(
            {
                "citizen_id": cid,
                "provider_id": group.provider_id,
                "care_group_id": group.id,
                "effective_from": provider_from,
                "created_at": now,
            }
        )
        made.append({"id": cid, "group": group.id, "status": status, "district": district.id})
    _bulk(session, Citizen.__table__, rows)
    _bulk(session, ProviderAssignment.__table__, assignments)
    return made


def _staff(session, rng, ref: dict, citizens: int, *, now) -> dict:
    """Staff in every team (one per CITIZENS_PER_STAFF citizens), all with one throwaway PIN."""
    pin_hash = hash_password(f"{rng.randrange(10**6):06d}")
    groups = [*ref["teams"], ref["night"], *ref["private_teams"]]
    per_group = max(2, citizens // CITIZENS_PER_STAFF // len(groups))
    first_id = _next_id(session, Staff)
    rows, links, by_group = [], [], {}
    for group in groups:
        for _ in range(per_group):
            sid = first_id + len(rows)
            rows.append(
                {
                    "id": sid,
                    "provider_id": group.provider_id,
                    "partner_company_id": None,
                    "staff_number": f"SK-{sid:07d}",
                    "first_name": rng.choice(FIRST),
                    "last_name": rng.choice(LAST),
                    "pin_hash": pin_hash,
                    "status": "active",
                    "failed_pins": 0,
                    "pin_locked": False,
                    "created_at": now,
                }
            )
            links.append({"staff_id": sid, "care_group_id": group.id})
            by_group.setdefault(group.id, []).append((sid, f"SK-{sid:07d}"))
    _bulk(session, Staff.__table__, rows)
    _bulk(session, staff_care_groups, links)
    return {
        "by_group": by_group,
        "night": by_group[ref["night"].id],
        "count": len(rows),
        "provider_of": {row["id"]: row["provider_id"] for row in rows},
    }


def _lock_units(session, citizens: list[dict], *, installed) -> list[dict]:
    """A fitted door unit for every fitted citizen; returns [{id, citizen, group, district}]."""
    first_id = _next_id(session, LockUnit)
    first_lock = (session.scalar(select(func.max(LockUnit.lock_id))) or 0) + 1
    rows, units = [], []
    for c in citizens:
        if c["status"] not in WITH_LOCK:
            continue
        uid = first_id + len(rows)
        rows.append(
            {
                "id": uid,
                "lock_id": first_lock + len(rows),
                "serial": f"SKALA-{uid:08d}",
                "kind": "door",
                "public_key_pem": FAKE_LOCK_PEM,
                "citizen_id": c["id"],
                "entrance_id": None,
                "active": True,
                "installed_at": installed,
                "state": "fitted",
            }
        )
        units.append(
            {"id": uid, "citizen": c["id"], "group": c["group"], "district": c["district"]}
        )
    _bulk(session, LockUnit.__table__, rows)
    return units


def seed(
    session,
    *,
    citizens: int,
    events: int,
    now,
    rng_seed: int = 1,
    months: int = 6,
    checkpoint=None,
) -> dict:
    """Add `citizens` fake citizens (with directory, staff and door units) and `events` lock
    events with their visits over the last `months` months; flushes, the caller commits.

    `checkpoint()`, when given, is called between chunks of events (the CLI commits there, so a
    10-million-event run is not one huge transaction)."""
    # A second run on the same database draws new codes and numbers, not the first run's.
    rng = random.Random(rng_seed * 1_000_003 + _next_id(session, Citizen))
    keyring = current_app.extensions["keyring"]
    config = current_app.config
    today = local_date(now, config["TIMEZONE"])
    tag = f"{_next_id(session, District)}"
    ref = _directory(session, rng, citizens, tag)
    made = _citizens(
        session, keyring, rng, ref, citizens, now=now, today=today, country=config["COUNTRY"]
    )
    staff = _staff(session, rng, ref, citizens, now=now)
    since = now - timedelta(days=30 * months)
    units = _lock_units(session, made, installed=since - timedelta(days=1))
    if checkpoint:
        checkpoint()
    written = scale_events.write(
        session, rng, units, staff, events, since=since, now=now, checkpoint=checkpoint
    )
    record(session, SYSTEM, DEMO_MARKER, now=now, data={"scale": True, "citizens": citizens})
    session.flush()
    # As the nightly task would after an import this large (SQLite; nothing on PostgreSQL).
    search.optimize(session.connection())
    return {
        "citizens": len(made),
        "districts": len(ref["districts"]),
        "staff": staff["count"],
        "lock_units": len(units),
        **written,
    }
