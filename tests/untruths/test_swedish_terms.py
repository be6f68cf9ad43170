"""One word for one thing on Swedish pages: a district is "område" everywhere (the visit
report said "Alla distrikt" beside the register's "Alla områden"), and the people served are
"brukare", never "medborgare" or "invånare"; a care group is "hemtjänstgrupp" (the visit report's filter
offered "Alla vårdgrupper" under the label "Hemtjänstgrupp")."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PORTAL = Path(__file__).resolve().parents[2] / "portal"
CATALOGS = sorted(PORTAL.glob("**/translations/sv/LC_MESSAGES/messages.po"))


def swedish_messages():
    for path in CATALOGS:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="sv"):
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                for text in strings:
                    if message.id and text:
                        yield path.relative_to(PORTAL), text


def test_there_are_swedish_catalogs_to_check():
    assert len(CATALOGS) > 10 and sum(1 for _ in swedish_messages()) > 1000


@pytest.mark.parametrize("word", ["distrikt", "medborgare", "invånare", "vårdgrupp"])
def test_a_swedish_message_never_uses_the_other_word(word):
    found = [f"{path}: {text}" for path, text in swedish_messages() if word in text.lower()]
    assert found == []
