"""The days a campaign skips, by name: on the campaign's page and on the day board."""

from datetime import date, timedelta

import holidays
from flask import current_app, render_template
from markupsafe import Markup

from portal.booking.calendar import days_off
from portal.i18n import current_language
from portal.web.panels import panel

# Names of the days the holidays package leaves out (calendar's extras), per page language.
EXTRA_NAMES = {
    "en": {
        "Grundlovsdag": "Constitution Day",
        "Juleaftensdag": "Christmas Eve",
        "Nytårsaftensdag": "New Year's Eve",
        "Julafton": "Christmas Eve",
        "Nyårsafton": "New Year's Eve",
        "Midsommarafton": "Midsummer Eve",
    },
}
LANGUAGES = {"da": "da", "sv": "sv", "en": "en_US"}


def holiday_name(country: str, day: date) -> str | None:
    """The name of the day off in the page's language ("Julafton"), or None on a working day."""
    local = days_off(country, day.year).get(day)
    if local is None:
        return None
    lang = current_language()
    try:
        named = holidays.country_holidays(
            country, years=day.year, language=LANGUAGES.get(lang, "en_US")
        ).get(day)
    except NotImplementedError:  # pragma: no cover (a country the package does not know)
        named = None
    return named or EXTRA_NAMES.get(lang, {}).get(local, local)


def skipped_days(campaign, country: str) -> list[tuple[date, str]]:
    """The campaign's days on its weekdays that are days off, with their names."""
    out, day = [], campaign.starts_on
    weekdays = campaign.weekday_set
    while day <= campaign.ends_on:
        if day.weekday() in weekdays:
            name = holiday_name(country, day)
            if name:
                out.append((day, name))
        day += timedelta(days=1)
    return out


@panel("campaign_detail", order=15)
def campaign_days_off(campaign):
    """On the campaign page: the days off inside its window, named."""
    days = skipped_days(campaign, current_app.config["COUNTRY"])
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template("booking/_campaign_days_off.html", days=days)
    )
