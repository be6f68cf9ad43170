"""Who gets a letter: the citizens of a district or campaign who may still book a fitting,
optionally only those without one; and who is left out, and why.

The rule is written once (`_rule`) and asked twice: when a batch is created (`recipients`) and
again when each of its letters is about to be rendered (`no_longer_chosen`), so a citizen who
booked, opted out, left care or moved out of the district meanwhile gets no letter."""

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, literal, null, or_, select

from portal.citizens import closures, lifecycle
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.directory import queries as directory
from portal.directory.models import District
from portal.letters.models import Letter, LetterBatch
from portal.web.params import to_id

try:  # campaigns belong to the roll-out work; letters work by district without them
    from portal.rollout.models import Campaign
except ImportError:  # pragma: no cover
    Campaign = None

# Batches whose letters count as "on their way" for "only citizens without a letter yet".
OPEN_BATCH_STATUSES = ("queued", "running", "done", "posted")
# The information letter asks the citizen to book a fitting: it goes only to citizens who may
# still book one (not to the booked, the fitted, or anyone who has left the roll-out).
INFORMATION_STATUSES = tuple(s for s in CitizenStatus if lifecycle.allowed("booked", s))
HAS_LETTER = "has_letter"  # the reason "only citizens without a letter" leaves someone out
MOVED_OUT = "moved_out"  # chosen for a batch, then moved out of its district
# A death reported, or an end of care or a move away approved (portal.citizens.closures).
CARE_ENDING = "care_ending"
# Letters that count as neither sent nor on their way.
NOT_SENT = ("failed", "skipped")


class ScopeNotFound(LookupError):
    """The chosen district or campaign does not exist."""


@dataclass(frozen=True)
class Scope:
    """A district, or a campaign (which covers its district)."""

    district_id: int
    campaign_id: int | None
    label: str

    @property
    def key(self) -> str:
        """The form value: "campaign:3" or "district:2"."""
        if self.campaign_id:
            return f"campaign:{self.campaign_id}"
        return f"district:{self.district_id}"


def scope_from_key(session, key: str) -> Scope:
    """Parse "district:ID" or "campaign:ID" into a Scope; ScopeNotFound otherwise."""
    kind, _, raw = (key or "").partition(":")
    ident = to_id(raw)
    if ident is None:
        raise ScopeNotFound(key)
    if kind == "district":
        district = session.get(District, ident)
        if district is not None:
            return Scope(district.id, None, district.name)
    elif kind == "campaign" and Campaign is not None:
        campaign = session.get(Campaign, ident)
        if campaign is not None:
            return Scope(campaign.district_id, campaign.id, campaign.name)
    raise ScopeNotFound(key)


def scope_for_district_name(session, name: str) -> Scope:
    """The district with this name (for the command line)."""
    district = session.scalar(select(District).where(District.name == name))
    if district is None:
        raise ScopeNotFound(name)
    return Scope(district.id, None, district.name)


def choices(session) -> dict[str, list[tuple[str, str]]]:
    """Campaigns and districts to choose from, as (key, label) per group."""
    districts = directory.districts(session)
    out = {"campaigns": [], "districts": [(f"district:{d.id}", d.name) for d in districts]}
    if Campaign is not None:
        campaigns = session.scalars(
            select(Campaign).where(Campaign.status != "closed").order_by(Campaign.starts_on)
        ).all()
        out["campaigns"] = [(f"campaign:{c.id}", c.name) for c in campaigns]
    return out


def scope_of_batch(batch: LetterBatch) -> Scope:
    """The scope a batch was made for."""
    return Scope(batch.district_id, batch.campaign_id, batch.scope_label)


def has_information_letter(other_than_batch: int | None = None):
    """SQL condition: the citizen has an information letter posted or on its way (one in
    `other_than_batch` aside: a batch's own letter does not count against itself)."""
    open_batch = select(LetterBatch.id).where(LetterBatch.status.in_(OPEN_BATCH_STATUSES))
    condition = exists().where(
        Letter.citizen_id == Citizen.id,
        Letter.kind == "information",
        or_(
            Letter.posted_at.is_not(None),
            and_(Letter.status.not_in(NOT_SENT), Letter.batch_id.in_(open_batch)),
        ),
    )
    if other_than_batch is not None:
        condition = condition.where(Letter.batch_id.is_distinct_from(other_than_batch))
    return condition


def _rule(scope: Scope, only_new: bool, batch_id: int | None = None) -> list[tuple]:
    """Who gets the letter, as (condition, reason when it does not hold) in the order the
    reasons are told: the citizen's status (booked, opted out, care ended ...), care ending
    (a death reported), then the district, then a letter already sent or on its way."""
    rule = [
        (Citizen.status.in_(INFORMATION_STATUSES), Citizen.status),
        (~closures.closed(), literal(CARE_ENDING)),
        (Citizen.district_id == scope.district_id, literal(MOVED_OUT)),
    ]
    if only_new:
        rule.append((~has_information_letter(batch_id), literal(HAS_LETTER)))
    return rule


def recipients(scope: Scope, only_new: bool = False):
    """SELECT of the citizens in scope who may still book, in postal order (postcode, address,
    name)."""
    stmt = select(Citizen).where(*(condition for condition, _ in _rule(scope, only_new)))
    return stmt.order_by(Citizen.postcode, Citizen.address, Citizen.name, Citizen.id)


def no_longer_chosen(session, batch: LetterBatch, citizen_ids) -> dict[int, str]:
    """Of these citizens of the batch, those its rule would not choose now, with the first
    reason: their status ("booked", "opted_out", "care_ended" ...), "moved_out" or
    "has_letter"."""
    if not citizen_ids:
        return {}
    # Nested so that a condition that is NULL (no district) counts as not holding.
    reason = null()
    for condition, why in reversed(_rule(scope_of_batch(batch), batch.only_new, batch.id)):
        reason = case((condition, reason), else_=why)
    rows = session.execute(
        select(Citizen.id, reason).where(Citizen.id.in_(sorted(set(citizen_ids))))
    ).all()
    return {cid: str(why) for cid, why in rows if why is not None}


def count_by_language(session, scope: Scope, only_new: bool = False) -> dict[str, int]:
    """How many letters per language the scope would give."""
    sub = recipients(scope, only_new).order_by(None).subquery()
    rows = session.execute(select(sub.c.language, func.count()).group_by(sub.c.language)).all()
    return {lang: n for lang, n in rows}


def first_recipient_id(session, scope: Scope, only_new: bool = False) -> int | None:
    """The first citizen in scope, for the preview."""
    return session.scalar(recipients(scope, only_new).with_only_columns(Citizen.id).limit(1))


def left_out(session, scope: Scope, only_new: bool = False) -> list[tuple[str, int]]:
    """Citizens of the scope's district who get no letter, counted by why: "has_letter" (only
    with only_new), "care_ending", then their status in the lifecycle's order; reasons with
    none are omitted."""
    in_district = Citizen.district_id == scope.district_id
    by_status = dict(
        session.execute(
            select(Citizen.status, func.count())
            .where(in_district, Citizen.status.not_in(INFORMATION_STATUSES))
            .group_by(Citizen.status)
        ).all()
    )
    out = [(str(s), by_status[s]) for s in CitizenStatus if by_status.get(s)]
    may_book = (in_district, Citizen.status.in_(INFORMATION_STATUSES))
    ending = session.scalar(
        select(func.count()).select_from(Citizen).where(*may_book, closures.closed())
    )
    if ending:
        out.insert(0, (CARE_ENDING, ending))
    if only_new:
        lettered = session.scalar(
            select(func.count())
            .select_from(Citizen)
            .where(*may_book, ~closures.closed(), has_information_letter())
        )
        if lettered:
            out.insert(0, (HAS_LETTER, lettered))
    return out
