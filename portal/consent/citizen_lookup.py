"""Which citizen a coordinator means when they type an external id or a name beside an entrance.

The register's internal number is shown nowhere but in addresses, so the entrance's "add a
citizen" field takes what the coordinator sees: the external id (exactly, as on the citizen's
page), or a name, found among the citizens of the property's district (the whole register when
the property has no district). The key cabinet finds a provider's own citizens the same way
(`within`: an SQL condition on Citizen that both the id and the name must meet)."""

from dataclasses import dataclass, field

from flask_babel import ngettext
from sqlalchemy import select

from portal.citizens import queries as register
from portal.citizens.folding import holds
from portal.citizens.models import Citizen

# Beyond this many matches a name is too common to pick from: the coordinator types more.
MAX_CHOICES = 10
# Rows read for a name before the name-only check (the register's search also matches addresses).
_READ = 200


@dataclass
class Found:
    """The citizens `text` may mean (one: that one), and whether more matched than are listed."""

    citizens: list[Citizen] = field(default_factory=list)
    more: bool = False


def find_citizens(session, text: str, district_id: int | None, within=None) -> Found:
    """The citizen whose external id `text` is, else those of the district whose name holds every
    word of `text` (case-insensitive, Nordic letters folded; nobody when `text` has no letter or
    digit), by name, at most MAX_CHOICES; only citizens meeting `within` when given."""
    text = " ".join((text or "").split())
    if not text:
        return Found()
    exact_stmt = select(Citizen).where(Citizen.external_id == text)
    exact = session.scalar(exact_stmt if within is None else exact_stmt.where(within))
    if exact is not None:
        return Found([exact])
    if not any(ch.isalnum() for ch in text):
        # Only punctuation or symbols ("'", "-", "...", an emoji) names nobody, even where a
        # name holds them (the ' of O'Brien): a lone "'" must not add her behind the entrance.
        return Found()
    stmt = select(Citizen).where(register.matching(text)).order_by(Citizen.name, Citizen.id)
    if district_id is not None:
        stmt = stmt.where(Citizen.district_id == district_id)
    if within is not None:
        stmt = stmt.where(within)
    # Folded as the register's search folds ("Sorensen" is Sørensen's name too).
    words = text.split()
    named = [c for c in session.scalars(stmt.limit(_READ)) if all(holds(c.name, w) for w in words)]
    return Found(named[:MAX_CHOICES], len(named) > MAX_CHOICES)


def not_one(found: Found, typed: str, nobody: str) -> str:
    """What the field says when `typed` did not name exactly one citizen (`nobody`: the page's
    own words for no match)."""
    if found.more:
        return ngettext(
            "More than %(num)s citizen matches. Type the external id, or more of the name.",
            "More than %(num)s citizens match. Type the external id, or more of the name.",
            len(found.citizens),
        )
    if found.citizens:
        return ngettext(
            "%(num)s citizen matches “%(typed)s”. Choose one below, or type the external id.",
            "%(num)s citizens match “%(typed)s”. Choose one below, or type the external id.",
            len(found.citizens),
            typed=typed,
        )
    return nobody
