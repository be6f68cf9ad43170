"""Working days and slot times: weekends, holidays, eves, and both DST changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from portal.booking.calendar import day_slots, days_off, local_to_utc, working_days

CPH = ZoneInfo("Europe/Copenhagen")
STO = ZoneInfo("Europe/Stockholm")
WEEK = {0, 1, 2, 3, 4}


def test_danish_public_holidays_and_eves_are_days_off():
    off = days_off("DK", 2026)
    for day in (
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ):
        assert day in off
    assert date(2026, 6, 5) in off  # Grundlovsdag
    assert date(2026, 12, 24) in off  # Juleaftensdag
    assert date(2026, 12, 31) in off  # Nytårsaftensdag
    assert date(2026, 5, 1) not in off  # not a general day off in Denmark


def test_swedish_eves_match_the_package_de_facto_days():
    off = days_off("SE", 2026)
    for day in (date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31), date(2026, 6, 6)):
        assert day in off
    de_facto = holidays.country_holidays("SE", years=range(2024, 2031), categories=("de_facto",))
    for day in de_facto:
        assert day in days_off("SE", day.year)


def test_working_days_skip_weekends_christmas_and_new_year():
    days = working_days(date(2026, 12, 21), date(2027, 1, 8), WEEK, "DK")
    assert date(2026, 12, 24) not in days and date(2026, 12, 25) not in days
    assert date(2026, 12, 31) not in days and date(2027, 1, 1) not in days
    assert all(d.weekday() < 5 for d in days)
    assert days[:3] == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)]
    assert date(2026, 12, 28) in days


def test_working_days_follow_the_chosen_weekdays():
    days = working_days(date(2026, 11, 23), date(2026, 12, 4), {1, 3}, "DK")
    assert [d.weekday() for d in days] == [1, 3, 1, 3]


def test_slots_keep_local_time_across_the_spring_change():
    friday = day_slots(date(2026, 3, 27), time(8), time(9), 20, 10, CPH)
    monday = day_slots(date(2026, 3, 30), time(8), time(9), 20, 10, CPH)
    assert [s.hour for s, _ in friday] == [7, 7]  # 08:00 CET is 07:00 UTC
    assert [s.hour for s, _ in monday] == [6, 6]  # 08:00 CEST is 06:00 UTC
    assert friday[0][1] - friday[0][0] == timedelta(minutes=20)
    assert monday[1][0].astimezone(CPH).time() == time(8, 30)


def test_slots_keep_local_time_across_the_autumn_change():
    friday = day_slots(date(2026, 10, 23), time(8), time(8, 30), 20, 10, CPH)
    monday = day_slots(date(2026, 10, 26), time(8), time(8, 30), 20, 10, CPH)
    assert friday[0][0] == datetime(2026, 10, 23, 6, 0, tzinfo=UTC)
    assert monday[0][0] == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


def test_times_the_clock_skips_are_never_offered():
    assert local_to_utc(date(2026, 3, 29), time(2, 30), CPH) is None
    night = day_slots(date(2026, 3, 29), time(1), time(4), 20, 10, CPH)
    local = [s.astimezone(CPH).time() for s, _ in night]
    assert time(2, 0) not in local and time(2, 30) not in local
    assert time(1, 0) in local and time(3, 0) in local


def test_repeated_hour_in_autumn_gives_distinct_slots():
    night = day_slots(date(2026, 10, 25), time(1), time(4), 20, 10, CPH)
    starts = [s for s, _ in night]
    assert len(starts) == len(set(starts))
    assert all(e > s for s, e in night)


def test_stockholm_has_the_same_rules_with_its_own_zone():
    slots = day_slots(date(2026, 3, 30), time(8), time(8, 30), 20, 10, STO)
    assert slots[0][0] == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert date(2026, 6, 19) not in working_days(date(2026, 6, 15), date(2026, 6, 26), WEEK, "SE")
