"""The rules a change must meet, as named errors, and the reads the rules need.

Dates are the municipality's local dates; a change takes effect at 00:00 local time on its
date (`effective_moment`), which in Europe/Copenhagen and Europe/Stockholm always exists (the
clocks change at 02:00 and 03:00).
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select

from portal.access.models import LockUnit
from portal.changes.models import OPEN, UNDECIDED, ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.directory.models import CareGroup, Provider, care_group_districts
from portal.i18n import phone_link
from portal.web.wording import acting_for, worded


class ChangeError(Exception):
    """A change that cannot be made; `message` says why, for the person who asked."""

    message = _l("This change cannot be made.")
    field: str | None = None

    def __init__(self, *args, **params):
        super().__init__(*args or (type(self).__name__,))
        self.params = params

    def text(self) -> str:
        """The translated message with its details filled in."""
        return str(self.message) % self.params if self.params else str(self.message)


class AlreadyOpen(ChangeError):
    message = _l(
        "There is already a request in progress (reference %(reference)s). Withdraw it or "
        "wait until it is decided before asking for something else."
    )


class ApprovedNotInForce(ChangeError):
    """An approved change that has not taken effect yet: it is decided, so it cannot be
    withdrawn, and it is still open (one open request per citizen), so nothing new can be
    asked for until its date; only the municipality can cancel it before then."""

    message = _l(
        "Your request %(reference)s has been approved and takes effect on %(date)s. You can "
        "ask for something else after that. For any other change before then, phone the "
        "municipality on %(phone)s."
    )
    relative_message = _l(
        "The request %(reference)s for %(name)s has been approved and takes effect on "
        "%(date)s. You can ask for something else after that. For any other change before "
        "then, phone the municipality on %(phone)s."
    )

    def text(self) -> Markup:
        """The message for the citizen or a relative, with the municipality's phone as a link."""
        name = acting_for()
        own, relative = ENDING_MESSAGES.get(self.params.get("ending"), (None, None))
        own, relative = own or self.message, relative or self.relative_message
        message = escape(str(relative if name else own))
        return message % {
            "reference": self.params["reference"],
            "date": format_date(self.params["effective_on"], "long"),
            "phone": phone_link(),
            "name": name or "",
        }


# After an approved change that ends the care there is nothing more to ask for: instead of
# "You can ask for something else after that", say what comes (by `ending`).
ENDING_MESSAGES = {
    "deceased": (
        _l(
            "The request %(reference)s has been approved: home care and the keys stop from "
            "%(date)s. There is nothing more to ask for here; the municipality handles the "
            "rest. Questions? Phone the municipality on %(phone)s."
        ),
        _l(
            "The report of the death of %(name)s (%(reference)s) has been approved: home care "
            "and the keys stop from %(date)s. There is nothing more to ask for here; the "
            "municipality handles the rest. Questions? Phone the municipality on %(phone)s."
        ),
    ),
    "moved_away": (
        _l(
            "Your request %(reference)s has been approved: you move away from the municipality "
            "on %(date)s, and your home care here ends then. For any change before then, phone "
            "the municipality on %(phone)s."
        ),
        _l(
            "The request %(reference)s for %(name)s has been approved: %(name)s moves away from "
            "the municipality on %(date)s, and home care here ends then. For any change before "
            "then, phone the municipality on %(phone)s."
        ),
    ),
    "care_ended": (
        _l(
            "Your request %(reference)s has been approved: your home care ends from %(date)s. "
            "For any change before then, phone the municipality on %(phone)s."
        ),
        _l(
            "The request %(reference)s for %(name)s has been approved: home care for %(name)s "
            "ends from %(date)s. For any change before then, phone the municipality on "
            "%(phone)s."
        ),
    ),
}


def _ending(req: ChangeRequest) -> str | None:
    if req.kind == "move":
        return None if req.inside else "moved_away"
    return req.reason if req.kind == "leave" and req.reason in ENDING_MESSAGES else None


def blocking(req: ChangeRequest) -> ChangeError:
    """Why the open request `req` stops the citizen from asking for something else."""
    if req.status == "approved":
        return ApprovedNotInForce(
            reference=req.reference, effective_on=req.effective_on, ending=_ending(req)
        )
    return AlreadyOpen(reference=req.reference)


class CareHasEnded(ChangeError):
    message = _l("Home care has ended for this citizen, so nothing more can be changed.")


class NotOpen(ChangeError):
    message = _l("This request has already been decided, so it cannot be changed any more.")


class SameProvider(ChangeError):
    message = _l("This provider already gives the home care. Choose another provider.")
    field = "provider"


class NotApproved(ChangeError):
    message = _l("This provider is not approved for the citizen's district. Choose another one.")
    field = "provider"


class DateInPast(ChangeError):
    message = _l("The date must be today or later.")
    field = "effective_on"


class DateTooFar(ChangeError):
    field = "effective_on"

    def text(self) -> str:
        """The translated message, in the plural the number of days needs."""
        days = self.params["days"]
        return ngettext(
            "The date can be at most %(num)s day from today.",
            "The date can be at most %(num)s days from today.",
            days,
        )


class OutsideDistricts(ChangeError):
    message = _l(
        "This postcode is not in any of the municipality's districts. Check the postcode, or "
        "choose that you are moving away from the municipality."
    )
    relative_message = _l(
        "This postcode is not in any of the municipality's districts. Check the postcode, or "
        "choose that %(name)s is moving away from the municipality."
    )
    field = "postcode"

    def text(self) -> str:
        """The message as the citizen or a relative reads it."""
        return worded(self.message, self.relative_message)


class ProviderNotServing(ChangeError):
    message = _l(
        "%(provider)s does not serve the new district. Choose the provider for the new address."
    )
    field = "provider"


class MissingAlternative(ChangeError):
    message = _l("Choose how home care will get in instead.")
    field = "alternative"


class MissingEstateContact(ChangeError):
    message = _l("Enter a contact person for the estate.")
    field = "estate_contact"


def effective_moment(day: date, tz: str) -> datetime:
    """00:00 local time on `day`, as an aware datetime (compare it with UTC moments)."""
    return datetime.combine(day, time(0), ZoneInfo(tz))


def local_today(now: datetime, tz: str) -> date:
    """The municipality's date at `now`."""
    return now.astimezone(ZoneInfo(tz)).date()


def check_date(day: date, *, now: datetime, tz: str, max_days: int) -> None:
    """Refuse a date before today or more than `max_days` ahead."""
    today = local_today(now, tz)
    if day < today:
        raise DateInPast()
    if day > today + timedelta(days=max_days):
        raise DateTooFar(days=max_days)


def open_request(session, citizen_id: int) -> ChangeRequest | None:
    """The citizen's request in progress (pending, asked or approved not yet in force); an
    undecided one first, when a report waits beside the approved change it supersedes."""
    found = session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.citizen_id == citizen_id, ChangeRequest.status.in_(OPEN))
        .order_by(ChangeRequest.id)
    ).all()
    return next((r for r in found if r.status in UNDECIDED), found[0] if found else None)


def day_groups(session, district_id: int) -> list[CareGroup]:
    """The day care groups serving a district, by provider and group name."""
    return list(
        session.scalars(
            select(CareGroup)
            .join(care_group_districts, care_group_districts.c.care_group_id == CareGroup.id)
            .join(Provider, Provider.id == CareGroup.provider_id)
            .where(
                care_group_districts.c.district_id == district_id,
                CareGroup.night_patrol.is_(False),
            )
            .order_by(Provider.name, CareGroup.name)
        )
    )


def approved_providers(session, district_id: int) -> list[Provider]:
    """The providers approved for a district: those with a day care group serving it."""
    seen: dict[int, Provider] = {}
    for group in day_groups(session, district_id):
        seen.setdefault(group.provider_id, group.provider)
    return list(seen.values())


def group_for(session, provider_id: int, district_id: int) -> CareGroup | None:
    """The provider's first day care group serving the district, or None if it serves none."""
    for group in day_groups(session, district_id):
        if group.provider_id == provider_id:
            return group
    return None


def district_for_postcode(session, postcode: str) -> int | None:
    """The district of a postcode: where the register's citizens with that postcode live
    (most of them, when they differ), or None when the municipality has nobody there."""
    rows = session.execute(
        select(Citizen.district_id, func.count())
        .where(Citizen.postcode == postcode.strip())
        .group_by(Citizen.district_id)
    ).all()
    if not rows:
        return None
    return Counter(dict(rows)).most_common(1)[0][0]


def has_lock(session, citizen_id: int) -> bool:
    """True when an active lock unit is fitted at the citizen's door."""
    return (
        session.scalar(
            select(LockUnit.id)
            .where(LockUnit.citizen_id == citizen_id, LockUnit.active.is_(True))
            .limit(1)
        )
        is not None
    )


def check_citizen(citizen) -> None:
    """Refuse changes for a citizen whose care has ended."""
    if citizen.status == CitizenStatus.CARE_ENDED:
        raise CareHasEnded()
