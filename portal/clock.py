"""The app's clock: the one place a feature learns the time.

Features call `now()`, never `datetime.now()`: inside an app it asks the app's clock
(`app.extensions["clock"]`, a callable returning an aware UTC datetime), so a test, a demo
or a batch replay sets the time for every view, service and job of that app at once. Outside
an app (a script, the key module's reference models) it is the wall clock.
"""

from datetime import UTC, date, datetime, timedelta

from flask import current_app, has_app_context

EXTENSION = "clock"


def wall_clock() -> datetime:
    """The machine's time as an aware UTC datetime."""
    return datetime.now(UTC)


def now() -> datetime:
    """The current time as the app sees it (aware UTC)."""
    if has_app_context():
        clock = current_app.extensions.get(EXTENSION)
        if clock is not None:
            return clock()
    return wall_clock()


def today_in(tz) -> date:
    """The app's current date in the time zone `tz`."""
    return now().astimezone(tz).date()


class SetClock:
    """A clock that starts at a chosen moment and then either stands still or ticks.

    `SetClock(start)` stands still until `set` or `advance` moves it; `SetClock(start,
    tick=True)` moves on with the wall clock from `start`, so ordering by time still works.
    """

    def __init__(self, start: datetime, *, tick: bool = False) -> None:
        self._tick = tick
        self.set(start)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware)."""
        if moment.tzinfo is None:
            raise ValueError("the clock keeps aware datetimes")
        self._start = moment.astimezone(UTC)
        self._wall = wall_clock()

    def advance(self, delta: timedelta) -> None:
        """Move the clock on by `delta`."""
        self.set(self() + delta)

    def __call__(self) -> datetime:
        if self._tick:
            return self._start + (wall_clock() - self._wall)
        return self._start


def install(app, clock) -> None:
    """Make `clock` (a callable, or None for the wall clock) the app's clock."""
    if clock is None:
        app.extensions.pop(EXTENSION, None)
    else:
        app.extensions[EXTENSION] = clock


def as_utc(value: datetime | None) -> datetime | None:
    """Treat a naive datetime read back from SQLite as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
