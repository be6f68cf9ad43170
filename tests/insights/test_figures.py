"""The figures against the hand-computed world of tests/insights/support.py (no HTTP)."""

from datetime import date

from portal.insights import visit_figures
from portal.insights.period import Period
from tests.factories import NOW

TZ = "Europe/Copenhagen"
WEEKS = [date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2)]
WEEKS += [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_the_default_period_is_thirty_local_days_ending_today(period):
    assert (period.first, period.last, period.days) == (date(2026, 10, 25), date(2026, 11, 23), 30)
    assert period.start.isoformat() == "2026-10-24T22:00:00+00:00"  # still summer time
    assert period.end.isoformat() == "2026-11-23T23:00:00+00:00"
    assert period.weeks() == WEEKS


def test_visits_per_day_fold_utc_hours_into_local_days(db, world, period):
    per_day = visit_figures.visits_per_day(db, period)
    assert len(per_day) == 30 and sum(per_day.values()) == 5
    assert {d: n for d, n in per_day.items() if n} == {
        date(2026, 10, 25): 1,  # V6: 24 Oct 22:30 UTC is 00:30 on the 25th here
        date(2026, 11, 17): 1,
        date(2026, 11, 18): 1,
        date(2026, 11, 23): 2,  # V2 began on the 22nd in UTC, the 23rd here
    }


def test_a_provider_sees_only_its_own_staffs_visits(db, world, period):
    mine = visit_figures.visits_per_day(db, period, world.provider_a.id)
    theirs = visit_figures.visits_per_day(db, period, world.provider_b.id)
    assert {d: n for d, n in mine.items() if n} == {date(2026, 10, 25): 1, date(2026, 11, 23): 2}
    assert {d: n for d, n in theirs.items() if n} == {date(2026, 11, 17): 1, date(2026, 11, 18): 1}
    assert sum(visit_figures.visits_per_day(db, period, -1).values()) == 0


def test_hours_at_the_citizen_per_week_count_closed_visits(db, world, period):
    hours = visit_figures.hours_per_week(db, period)
    assert list(hours) == WEEKS
    assert hours == {
        WEEKS[0]: 0.5,  # V6
        WEEKS[1]: 0,
        WEEKS[2]: 0,
        WEEKS[3]: 0,
        WEEKS[4]: 0.75,  # V3; V4 was never closed
        WEEKS[5]: 1.5,  # V1 and V2
    }
    assert visit_figures.hours_per_week(db, period, world.provider_b.id)[WEEKS[4]] == 0.75


def test_outside_the_window_is_held_against_the_shift_key(db, world, period):
    weeks = {w.week: w for w in visit_figures.outside_window(db, period)}
    last, before, first = weeks[WEEKS[5]], weeks[WEEKS[4]], weeks[WEEKS[0]]
    assert (last.visits, last.outside, last.unknown, last.share) == (2, 1, 0, 0.5)
    assert (before.visits, before.outside, before.unknown, before.share) == (2, 0, 0, 0)
    assert (first.visits, first.outside, first.unknown, first.share) == (1, 0, 1, None)
    assert weeks[WEEKS[1]].share is None


def test_a_one_day_period_has_one_day(db, world):
    period = Period.ending_today(NOW, TZ, 1)
    assert visit_figures.visits_per_day(db, period) == {date(2026, 11, 23): 2}
    assert period.weeks() == [WEEKS[5]]


def test_a_day_label_is_written_as_each_language_writes_a_short_date(app):
    from portal.i18n import force_locale
    from portal.insights.figures import day_label

    labels = {}
    for lang in ("da", "sv", "en"):
        with app.test_request_context(), force_locale(lang):
            labels[lang] = day_label(date(2026, 11, 6))
    # Danish writes the day as an ordinal ("6. nov.", as every other Danish page); the charts
    # said "6 nov."
    assert labels == {"da": "6. nov.", "sv": "6 nov.", "en": "6 Nov"}
