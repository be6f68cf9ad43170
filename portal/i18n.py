"""Locale choice (session, then browser), municipality time zone, Jinja helpers."""

import re
from contextlib import contextmanager
from functools import lru_cache

import flask_babel
from flask import current_app, g, has_request_context, request, session
from flask_babel import LazyString, format_date, format_datetime, format_time, get_locale
from markupsafe import Markup, escape

from portal.phones import display_phone, tel_link

# A Danish or Swedish municipality's English is British: day-month-year and 24-hour time
# ("7 December 2026, 09:00"), not Babel's plain "en" (US: "December 7, 2026, 9:00 AM").
# The catalogs stay "en": gettext looks up "en_GB" and then "en".
FORMAT_LOCALES = {"en": "en_GB"}


def locale_for(lang: str) -> str:
    """The Babel locale that formats dates and numbers for a portal language."""
    return FORMAT_LOCALES.get(lang, lang)


@contextmanager
def force_locale(lang: str):
    """flask_babel.force_locale for a portal language, with its date and number conventions."""
    with flask_babel.force_locale(locale_for(lang)):
        yield


def select_locale() -> str:
    """The language chosen in the switcher, else the browser's best match, else the default."""
    if not has_request_context():
        return locale_for(current_app.config["BABEL_DEFAULT_LOCALE"])
    langs = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen not in langs:
        chosen = request.accept_languages.best_match(langs)
    return locale_for(chosen or current_app.config["BABEL_DEFAULT_LOCALE"])


def current_language() -> str:
    """The page's language as a code for lang="..." attributes ("en", never "en_GB")."""
    return get_locale().language


# Endonyms, for the language switcher only: a reader finds their own language there.
LANGUAGE_NAMES = {"da": "Dansk", "sv": "Svenska", "en": "English"}


def language_name(code: str | None) -> str:
    """A language's name in the page's language, as it is written mid-sentence ("engelsk" on
    a Danish page, "English" on an English one); the code itself when Babel does not know it."""
    if not code:
        return ""
    return get_locale().languages.get(code, code)


def _escaped_html(self) -> str:
    return escape(str(self))


# Flask-Babel's lazy strings claim to be safe HTML, so a value formatted into one (a name from
# an uploaded file, say) would reach the page unescaped. Our messages hold no markup: escape.
LazyString.__html__ = _escaped_html


def page_translations():
    """The translations of the current locale, looked up once per request and locale.

    Flask-Babel finds the request's locale and catalog again for every string (six look-ups
    through Flask's context proxies); a page holds dozens. Kept beside the locale it belongs
    to, so a `force_locale` block (a letter or an e-mail in the citizen's language) misses the
    cache and gets its own catalog."""
    ctx = getattr(g, "_flask_babel", None) if g else None
    cached = getattr(ctx, "page_translations", None)
    if cached is not None and cached[0] is getattr(ctx, "babel_locale", None):
        return cached[1]
    translations = flask_babel.get_translations()
    ctx = getattr(g, "_flask_babel", None) if g else None
    locale = getattr(ctx, "babel_locale", None)
    if locale is not None:
        ctx.page_translations = (locale, translations)
    return translations


def _install_gettext(app) -> None:
    """Flask-Babel's Jinja gettext callables, with the catalog from page_translations."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )


def init_app(app) -> None:
    """Language and date helpers every page may use (web and features add their own)."""
    _install_gettext(app)
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        language_name=language_name,
        current_locale=current_language,
        opening_hours=opening_hours,
        phone_link=phone_link,
    )
    app.jinja_env.filters.update(
        date=lambda v, fmt="long": format_date(v, fmt) if v else "",
        datetime=lambda v, fmt="medium": format_datetime(v, fmt) if v else "",
        time=lambda v, fmt="short": format_time(v, fmt) if v else "",
        phone=show_phone,
    )


def opening_hours(lang: str | None = None) -> str:
    """The municipality's phone hours in the chosen language (configured per language)."""
    hours = current_app.config["MUNICIPALITY_HOURS"]
    if isinstance(hours, str):
        return tidy_hours(hours)
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = lang or (get_locale().language if has_request_context() else default)
    return tidy_hours(hours.get(lang) or hours.get(default) or "")


@lru_cache(maxsize=64)
def tidy_hours(text: str) -> str:
    """Ranges with an en dash, "kl. 9–15" kept on one line (no-break space, word joiners)."""
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "\u2060\u2013\u2060", text)  # 9–15, never 9–/15
    text = re.sub(r"(?<=\w)\s*-\s*(?=\w)", "\u2013", text)
    return re.sub(r"(?<=\.) (?=\d)", "\u00a0", text)


def phone_link(number: str | None = None) -> Markup:
    """The municipality's phone as a tap-to-call link that never breaks across lines (the text
    alone when the stored number is not a valid one)."""
    number = number or current_app.config["MUNICIPALITY_PHONE"]
    return tel_link(number, current_app.config["COUNTRY"])


def show_phone(e164: str | None) -> str:
    """A stored (E.164) phone number as people write it in the municipality's country."""
    return display_phone(e164, current_app.config["COUNTRY"])
