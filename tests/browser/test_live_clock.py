"""The browser journeys' clock: the live app and the test read the tests' NOW, ticking."""

from datetime import timedelta

from portal import clock
from tests.conftest import NOW


def test_the_live_app_and_the_test_read_one_clock_at_now(live_app, app, live_clock):
    with live_app.app_context():
        seen_by_the_server = clock.now()
    with app.app_context():
        seen_by_the_test = clock.now()
    for seen in (seen_by_the_server, seen_by_the_test):
        assert NOW <= seen < NOW + timedelta(minutes=5), seen  # ticking from NOW, not the wall
