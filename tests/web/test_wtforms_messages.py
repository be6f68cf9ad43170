"""WTForms' own messages appear in the page's language, never in English on a Danish page."""

import os

import pytest
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

LONG = "Å" * 201


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("da", "Skriv højst 200 tegn."), ("sv", "Skriv högst 200 tecken.")],
)
def test_a_too_long_relative_name_is_refused_in_the_page_language(client, lang, expected):
    page = client.post(
        "/sign-in/relative",
        data={"code": "ABCD-EFGH", "name": LONG, "phone": "12345678", "relation": "child"},
        headers={"Accept-Language": lang},
    ).get_data(as_text=True)
    assert expected in page
    assert "Field cannot be longer" not in page


def test_a_too_long_staff_email_is_refused_in_danish(client):
    page = client.post(
        "/sign-in/staff",
        data={"email": "a" * 250 + "@x.dk", "password": "x"},
        headers={"Accept-Language": "da"},
    ).get_data(as_text=True)
    assert "Skriv højst 254 tegn." in page


def test_every_wtforms_message_has_a_danish_and_swedish_text(app):
    with open(os.path.join(messages_path(), "wtforms.pot"), "rb") as fh:
        wanted = [m.id for m in read_po(fh) if m.id]
    for lang in ("da", "sv"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            from flask_babel import get_translations, refresh

            refresh()
            catalog = get_translations()
            for msgid in wanted:
                if isinstance(msgid, tuple):
                    shown = catalog.ungettext(msgid[0], msgid[1], 2)
                    assert shown != msgid[1], (lang, msgid)
                else:
                    assert catalog.ugettext(msgid) != msgid, (lang, msgid)


def test_the_english_page_keeps_wtforms_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import get_translations

        assert get_translations().ugettext("This field is required.") == ("This field is required.")
