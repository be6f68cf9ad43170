"""English pages format like a Danish or Swedish municipality's English: British, 24-hour."""

from datetime import UTC, datetime

from flask import render_template_string

from portal.i18n import force_locale

MOMENT = datetime(2026, 12, 7, 13, 5, tzinfo=UTC)  # 14:05 in Copenhagen
TEMPLATE = "{{ m|date }} | {{ m|datetime }} | {{ m|datetime('short') }} | {{ m|time }}"


def _shown(app, accept):
    with app.test_request_context(headers={"Accept-Language": accept}):
        return render_template_string(TEMPLATE, m=MOMENT)


def test_english_dates_are_day_month_year_with_24_hour_time(app):
    shown = _shown(app, "en")
    assert "7 December 2026" in shown
    assert "14:05" in shown
    assert "PM" not in shown and "December 7" not in shown and "12/7/26" not in shown


def test_danish_and_swedish_are_unchanged(app):
    assert "7. december 2026" in _shown(app, "da")
    assert "7 december 2026" in _shown(app, "sv")


def test_the_page_language_attribute_stays_en(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Page not found" not in html


def test_letters_and_emails_in_english_use_the_same_conventions(app):
    from flask_babel import format_datetime, gettext

    with app.app_context(), force_locale("en"):
        assert "PM" not in format_datetime(MOMENT, "short")
        assert gettext("Page not found") == "Page not found"
    with app.app_context(), force_locale("da"):
        assert gettext("Page not found") == "Siden blev ikke fundet"
