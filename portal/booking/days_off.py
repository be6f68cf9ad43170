"""The days a campaign skips, by name: on the campaign's page and on the day board."""

from datetime import date, timedelta

import holidays
from flask import current_app, render_template
from markupsafe import Markup

from portal.booking.calendar import days_off
from portal.i18n import current_language
from portal.web.panels import panel

# The holidays package names a country's holidays only in some languages (Denmark: Danish and
# English; Sweden: Swedish and English), and the eves it leaves out (calendar's extras) not at
# all. Names in the other page languages, keyed by the package's English name or the extra's
# own name; one table per page language serves both countries.
NAMES = {
    "en": {
        "Grundlovsdag": "Constitution Day",
        "Juleaftensdag": "Christmas Eve",
        "Nytårsaftensdag": "New Year's Eve",
        "Julafton": "Christmas Eve",
        "Nyårsafton": "New Year's Eve",
        "Midsommarafton": "Midsummer Eve",
    },
    "sv": {  # Danish days off on a Swedish page
        "New Year's Day": "Nyårsdagen",
        "Maundy Thursday": "Skärtorsdagen",
        "Good Friday": "Långfredagen",
        "Easter Sunday": "Påskdagen",
        "Easter Monday": "Annandag påsk",
        "Great Prayer Day": "Stora bönedagen",
        "Ascension Day": "Kristi himmelsfärdsdag",
        "Pentecost": "Pingstdagen",
        "Pentecost Monday": "Annandag pingst",
        "Christmas Day": "Juldagen",
        "Second Day of Christmas": "Annandag jul",
        "Grundlovsdag": "Danmarks grundlagsdag",
        "Juleaftensdag": "Julafton",
        "Nytårsaftensdag": "Nyårsafton",
    },
    "da": {  # Swedish days off on a Danish page
        "New Year's Day": "Nytårsdag",
        "Epiphany": "Helligtrekongersdag",
        "Good Friday": "Langfredag",
        "Easter Sunday": "Påskedag",
        "Easter Monday": "Anden påskedag",
        "May Day": "1. maj",
        "Ascension Day": "Kristi himmelfartsdag",
        "National Day": "Sveriges nationaldag",
        "Pentecost": "Pinsedag",
        "Midsummer Day": "Midsommerdag",
        "All Saints' Day": "Allehelgensdag",
        "Christmas Day": "Juledag",
        "Second Day of Christmas": "Anden juledag",
        "Julafton": "Juleaften",
        "Nyårsafton": "Nytårsaften",
        "Midsommarafton": "Midsommeraften",
    },
}
LANGUAGES = {"da": "da", "sv": "sv", "en": "en_US"}


def _package_name(country: str, day: date, language: str) -> str | None:
    """The package's name of a public holiday in `language` (None for an extra, or where the
    package does not speak that language for this country)."""
    try:
        calendar = holidays.country_holidays(country, years=day.year, language=language)
    except NotImplementedError:  # pragma: no cover (a country the package does not know)
        return None
    if language not in calendar.supported_languages:
        return None
    return calendar.get(day)


def holiday_name(country: str, day: date) -> str | None:
    """The name of the day off in the page's language ("Julafton"), or None on a working day."""
    local = days_off(country, day.year).get(day)
    if local is None:
        return None
    lang = current_language()
    named = _package_name(country, day, LANGUAGES.get(lang, "en_US"))
    if named:
        return named
    key = _package_name(country, day, "en_US") or local
    return NAMES.get(lang, {}).get(key) or key


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
