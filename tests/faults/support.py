"""Arrange data for the fault tests: a district with citizens and a queued letter batch."""

from pathlib import Path

from portal.audit.services import SYSTEM
from portal.letters import scope, services
from tests.factories import make_citizen, make_district


def district_with_citizens(db, name: str, count: int, languages=("da",)):
    """A district with `count` citizens at distinct addresses (committed); returns its scope."""
    district = make_district(db, name=name)
    for i in range(count):
        make_citizen(
            db, district=district, language=languages[i % len(languages)], address=f"Vej {i}"
        )
    db.commit()
    return scope.Scope(district.id, None, district.name)


def queued_batch(db, chosen: scope.Scope, directory: Path, now):
    """A new batch of every citizen in the scope, queued, its files going to `directory`."""
    batch = services.create_batch(
        db, chosen, only_new=False, actor=SYSTEM, now=now, directory=directory
    )
    db.commit()
    return batch
