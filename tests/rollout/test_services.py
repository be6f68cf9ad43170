"""Campaign rules without HTTP."""

from datetime import date, time

import pytest

from portal.audit.services import SYSTEM
from portal.rollout import services
from portal.rollout.chart import progress_chart
from tests.factories import make_district


def _settings(district_id, **kw):
    values = {
        "name": "Bølge 1",
        "district_id": district_id,
        "starts_on": date(2027, 5, 22),
        "ends_on": date(2027, 6, 16),
        "day_start": time(8),
        "day_end": time(15),
    }
    values.update(kw)
    return services.CampaignSettings(**values)


def test_create_and_open_a_campaign(db, now):
    district = make_district(db)
    campaign = services.create_campaign(db, _settings(district.id), now=now, actor=SYSTEM)
    assert campaign.status == "draft" and campaign.slot_minutes == 20
    assert campaign.buffer_minutes == 10 and campaign.weekday_set == {0, 1, 2, 3, 4}
    services.set_status(db, campaign.id, "running", now=now, actor=SYSTEM)
    assert campaign.status == "running"


@pytest.mark.parametrize(
    "change",
    [
        {"district_id": 99999},
        {"ends_on": date(2027, 5, 1)},
        {"day_end": time(7)},
        {"weekdays": ""},
        {"status": "bogus"},
    ],
)
def test_nonsense_campaigns_are_refused(db, now, change):
    district = make_district(db)
    settings = _settings(district.id)
    for key, value in change.items():
        setattr(settings, key, value)
    with pytest.raises(services.CampaignError):
        services.create_campaign(db, settings, now=now, actor=SYSTEM)


def test_chart_scales_to_the_largest_count(app, db):
    district = make_district(db)
    rows = [services.DistrictProgress(district, 10, 8, 4, 2, 1, 3)]
    with app.test_request_context():
        chart = progress_chart(rows, width=700)
    widths = [b.width for b in chart.groups[0].bars]
    assert widths[0] == max(widths) and widths[3] == widths[0] // 8
    assert chart.height > 100
