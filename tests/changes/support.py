"""Helpers for the change tests: a municipality with two providers, a fitted citizen with a
lock, and the settings the services take."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from portal.audit.services import SYSTEM, Actor
from portal.changes.services import Details, Policy
from portal.citizens.lifecycle import CitizenStatus
from tests.access.support import make_lock
from tests.factories import make_care_group, make_citizen, make_district, make_provider, make_user

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen and Stockholm
CPH = "Europe/Copenhagen"
COORDINATOR = Actor("user", 1, "Carla Coordinator (coordinator)")
CITIZEN = SYSTEM


@dataclass
class Town:
    """North and south districts; Hjem (municipal) serves both, Omsorg (private) only north;
    a night patrol of Hjem covers both."""

    north: object
    south: object
    hjem: object
    omsorg: object
    hjem_north: object
    hjem_south: object
    omsorg_north: object
    night: object
    admins: dict


def make_town(db) -> Town:
    """The arrangement most change tests start from (flushed, not committed)."""
    north, south = make_district(db, "Nord"), make_district(db, "Syd")
    hjem, omsorg = make_provider(db, "Hjemmeplejen"), make_provider(db, "Omsorg A/S", "private")
    town = Town(
        north,
        south,
        hjem,
        omsorg,
        hjem_north=make_care_group(db, hjem, [north], name="Hjem Nord"),
        hjem_south=make_care_group(db, hjem, [south], name="Hjem Syd"),
        omsorg_north=make_care_group(db, omsorg, [north], name="Omsorg Nord"),
        night=make_care_group(db, hjem, [north, south], night_patrol=True, name="Nat"),
        admins={},
    )
    town.admins["hjem"] = make_user(db, "provider_admin", provider_id=hjem.id)
    town.admins["omsorg"] = make_user(db, "provider_admin", provider_id=omsorg.id)
    db.flush()
    return town


def fitted_citizen(db, town, *, lock=True, postcode="4100", **extra):
    """A citizen in the north district served by Hjem, fitted (with a lock unit by default)."""
    citizen = make_citizen(
        db,
        district=town.north,
        provider=town.hjem,
        care_group=town.hjem_north,
        postcode=postcode,
        status=CitizenStatus.FITTED,
        **extra,
    )
    if lock:
        make_lock(db, citizen)
    db.flush()
    return citizen


def policy(app, tz=CPH, max_days=365):
    """The settings, with the test app's issuer key store."""
    from portal.access import issuer_keys

    return Policy(
        tz=tz,
        max_days=max_days,
        store=issuer_keys.KeyStore.from_config(app.config, app.instance_path),
    )


def on(day: str, **extra) -> Details:
    """Details effective on an ISO date."""
    return Details(effective_on=date.fromisoformat(day), **extra)
