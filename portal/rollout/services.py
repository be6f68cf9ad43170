"""Campaign rules: create a wave for a district, open and close it, count its progress."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import case, func, select

from portal.audit.services import Actor, record
from portal.citizens.lifecycle import NOT_BOOKED, OUT_OF_ROLLOUT
from portal.citizens.lifecycle import CitizenStatus as S
from portal.citizens.models import Citizen
from portal.directory import queries as directory
from portal.directory.models import District
from portal.rollout.models import CAMPAIGN_STATUSES, Campaign
from portal.unit_of_work import check_version


class CampaignError(ValueError):
    """The campaign settings do not make sense (the reason names which)."""


@dataclass
class CampaignSettings:
    """What a coordinator enters for a new campaign."""

    name: str
    district_id: int
    starts_on: date
    ends_on: date
    day_start: time
    day_end: time
    weekdays: str = "01234"
    slot_minutes: int = 20
    buffer_minutes: int = 10
    status: str = "draft"


def create_campaign(
    session, settings: CampaignSettings, *, now: datetime, actor: Actor
) -> Campaign:
    """Create a campaign (the caller commits); slots come from the locksmiths' availability."""
    if session.get(District, settings.district_id) is None:
        raise CampaignError("district")
    if settings.ends_on < settings.starts_on:
        raise CampaignError("dates")
    if settings.day_end <= settings.day_start:
        raise CampaignError("hours")
    if not settings.weekdays or settings.status not in CAMPAIGN_STATUSES:
        raise CampaignError("weekdays")
    campaign = Campaign(created_at=now, **settings.__dict__)
    session.add(campaign)
    session.flush()
    record(
        session,
        actor,
        "campaign_created",
        now=now,
        object_type="campaign",
        object_id=campaign.id,
        data={"district": settings.district_id, "from": settings.starts_on, "to": settings.ends_on},
    )
    return campaign


def set_status(
    session,
    campaign_id: int,
    status: str,
    *,
    now: datetime,
    actor: Actor,
    expected_version: int | None = None,
) -> Campaign:
    """Open a campaign for booking, or close it (flushes; the caller commits); ChangedElsewhere
    when the campaign is no longer at the `expected_version` the page showed."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or status not in CAMPAIGN_STATUSES:
        raise CampaignError("status")
    check_version(campaign, expected_version)
    old, campaign.status = campaign.status, status
    record(
        session,
        actor,
        "campaign_status",
        now=now,
        object_type="campaign",
        object_id=campaign.id,
        data={"from": old, "to": status},
    )
    return campaign


@dataclass
class DistrictProgress:
    """Counts for one district."""

    district: District
    total: int
    letters_sent: int
    booked: int
    fitted: int
    failed: int
    not_booked: int


def progress(session) -> list[DistrictProgress]:
    """Letters sent, booked, fitted, failed and not booked per district (one grouped query)."""
    status = Citizen.status
    counts = (
        select(
            Citizen.district_id,
            func.count(),
            func.sum(case((status != S.REGISTERED, 1), else_=0)),
            func.sum(case((status == S.BOOKED, 1), else_=0)),
            func.sum(case((status == S.FITTED, 1), else_=0)),
            func.sum(case((status == S.FOLLOW_UP, 1), else_=0)),
            func.sum(case((status.in_(NOT_BOOKED), 1), else_=0)),
        )
        .where(status.not_in(OUT_OF_ROLLOUT))
        .group_by(Citizen.district_id)
    )
    by_district = {row[0]: [int(v or 0) for v in row[1:]] for row in session.execute(counts)}
    districts = directory.districts(session)
    return [DistrictProgress(d, *by_district.get(d.id, [0, 0, 0, 0, 0, 0])) for d in districts]
