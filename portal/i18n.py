"""Locale choice (session, then browser), municipality time zone, Jinja helpers."""

from flask import current_app, has_request_context, request, session
from flask_babel import LazyString, format_date, format_datetime, format_time, get_locale
from markupsafe import escape


def select_locale() -> str:
    """The language chosen in the switcher, else the browser's best match, else the default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    langs = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


LANGUAGE_NAMES = {"da": "Dansk", "sv": "Svenska", "en": "English"}


def _escaped_html(self) -> str:
    return escape(str(self))


# Flask-Babel's lazy strings claim to be safe HTML, so a value formatted into one (a name from
# an uploaded file, say) would reach the page unescaped. Our messages hold no markup: escape.
LazyString.__html__ = _escaped_html


def init_app(app) -> None:
    """Language and date helpers every page may use (web and features add their own)."""
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_locale=lambda: str(get_locale()),
        opening_hours=opening_hours,
    )
    app.jinja_env.filters.update(
        date=lambda v, fmt="long": format_date(v, fmt) if v else "",
        datetime=lambda v, fmt="medium": format_datetime(v, fmt) if v else "",
        time=lambda v, fmt="short": format_time(v, fmt) if v else "",
    )


def opening_hours(lang: str | None = None) -> str:
    """The municipality's phone hours in the chosen language (configured per language)."""
    hours = current_app.config["MUNICIPALITY_HOURS"]
    if isinstance(hours, str):
        return hours
    lang = lang or select_locale()
    return hours.get(lang) or hours.get(current_app.config["BABEL_DEFAULT_LOCALE"]) or ""
