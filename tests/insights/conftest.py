"""The insight tests' world (tests/insights/support.py) and the default period at NOW."""

import pytest

from portal.insights.period import Period
from tests.factories import NOW
from tests.insights.support import make_insight_world

TZ = "Europe/Copenhagen"


@pytest.fixture
def world(db, clock):
    """The hand-computed world, with the app's clock at NOW."""
    return make_insight_world(db)


@pytest.fixture
def period():
    """The default period: the 30 local days up to NOW."""
    return Period.ending_today(NOW, TZ)
