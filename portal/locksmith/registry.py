"""What features above the locksmith tell a removal job: the physical keys to hand back.

`changes` (floor 6) keeps the key cabinet and registers a source here in its init_app; the
removal checklist asks `keys_held` and, once the job is done, `keys_handed_back` tells the
cabinet through the `removal_done` signal (portal.locksmith.signals). Locksmith never imports
changes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HeldKey:
    """One physical key the provider holds for a citizen ("day" or "night", where it is)."""

    id: int
    kind: str
    where: str


KEY_SOURCES: list = []


def key_source(func):
    """Register `func(session, citizen_id) -> list[HeldKey]` (decorator; returns func)."""
    if func not in KEY_SOURCES:
        KEY_SOURCES.append(func)
    return func


def keys_held(session, citizen_id: int | None) -> list[HeldKey]:
    """Every physical key held for the citizen, from every registered source."""
    if citizen_id is None:
        return []
    return [key for source in KEY_SOURCES for key in source(session, citizen_id)]
