"""The property import says in its own words that nothing is new: among the properties and
entrances, never the citizen register (borgerlisten, brukarlistan)."""

import re

from tests.consent.test_property_import_files import _csv, _upload
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)


def _nothing(html: str) -> str:
    found = re.search(r"(There is nothing to import.*?)</", html, re.S)
    return re.sub(r"\s+", " ", found.group(1)) if found else ""


def test_nothing_new_is_said_in_the_words_of_properties(coordinator, db):  # noqa: F811
    coordinator.post(_upload(coordinator, _csv(1, 2)).location)
    reason = _nothing(coordinator.get(_upload(coordinator, _csv(1, 2)).location).text)
    assert reason == (
        "There is nothing to import: every valid row is already among the properties and entrances."
    )
    again = _csv(1, 2) + b"3;Skolegade 3;4100;Demoby;;A\n"  # no owner: an error
    reason = _nothing(coordinator.get(_upload(coordinator, again).location).text)
    assert "2 valid rows are already among the properties and entrances, unchanged." in reason
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    danish = coordinator.get(_upload(coordinator, _csv(1, 2)).location).text
    assert "alle gyldige rækker findes allerede blandt ejendommene og indgangene" in danish
    assert "borgerlisten" not in danish
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    swedish = coordinator.get(_upload(coordinator, again).location).text
    assert "2 giltiga rader finns redan oförändrade bland fastigheterna och entréerna" in swedish
    assert "brukarlistan" not in swedish


def _button(html: str) -> str:
    found = re.search(r"<button[^>]*>\s*(Import \d+ rows?)\s*</button>", html)
    return found.group(1) if found else ""


def test_the_import_button_counts_rows_not_properties_and_entrances(coordinator, db):  # noqa: F811
    # One row is a new property and its new entrance: one row to import, not two.
    assert _button(coordinator.get(_upload(coordinator, _csv(1)).location).text) == "Import 1 row"
    two = _csv(1, 2)
    assert _button(coordinator.get(_upload(coordinator, two).location).text) == "Import 2 rows"
    # A second entrance of a known property beside a new property: two rows.
    coordinator.post(_upload(coordinator, _csv(1)).location)
    more = _csv(1, 3) + b"1;Skolegade 1;4100;Demoby;Bolig 1;B\n"
    assert _button(coordinator.get(_upload(coordinator, more).location).text) == "Import 2 rows"
