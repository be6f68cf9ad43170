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
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    found = re.search(r'<button type="submit"[^>]*>(.*?)</button>', main, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""


def _receipt(html: str) -> list[str]:
    panel = re.search(r'<ul class="portal-counts">(.*?)</ul>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", panel)]


ENTRANCES = "address;postcode;city;owner;entrance;kind;door_phone\n" + "".join(
    f"Torvet 1;4100;Demoby;Bolig;{label};{kind};{phone}\n"
    for label, kind, phone in (("A", "opgang", "none"), ("B", "opgang", "none"), ("P", "port", ""))
)


def test_the_button_counts_properties_and_entrances_never_rows(coordinator, db):  # noqa: F811
    """Two rows are two properties with an entrance each, not "4 rows"; one property's three
    entrances are three rows and one property; a re-import that changes one entrance says so."""
    assert _button(coordinator.get(_upload(coordinator, _csv(1, 2)).location).text) == (
        "Import 2 properties and 2 entrances"
    )
    first = _upload(coordinator, ENTRANCES.encode()).location
    assert _button(coordinator.get(first).text) == "Import 1 property and 3 entrances"
    coordinator.post(first)
    changed = ENTRANCES.replace("B;opgang;none", "B;opgang;video").encode()
    assert _button(coordinator.get(_upload(coordinator, changed).location).text) == (
        "Import 1 entrance"
    )
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    danish = coordinator.get(_upload(coordinator, _csv(1)).location).text
    assert _button(danish) == "Importér 1 ejendom og 1 indgang"
    for count in ("1</strong> ny ejer<", "1</strong> ny ejendom<", "1</strong> ny indgang<"):
        assert count in danish
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    swedish = coordinator.get(_upload(coordinator, _csv(3, 4)).location).text
    assert _button(swedish) == "Importera 2 fastigheter och 2 entréer"


def test_the_receipt_says_what_was_imported_with_plurals(coordinator, db):  # noqa: F811
    """One row with three errors is one row skipped; one of everything is singular."""
    bad = "4;Skolegade 4;4100;Demoby;Bolig 1;A;luge;x;y\n"
    head = "property_number;address;postcode;city;owner;entrance;kind;door_phone;power_source\n"
    raw = (head + "1;Skolegade 1;4100;Demoby;Bolig 1;A;;;\n" + bad).encode()
    preview = _upload(coordinator, raw).location
    assert "<strong>1</strong> row has errors" in coordinator.get(preview).text
    result = coordinator.get(coordinator.post(preview).location).text
    assert _receipt(result) == [
        "1 new owner",
        "1 new property",
        "1 new entrance",
        "Changed: 0 properties and 0 entrances",
        "0 entrances unchanged",
        "1 row skipped because of errors",
    ]
    again = (head + "1;Skolegade 1;4100;Demoby;Bolig 1;A;;video;\n" + bad).encode()
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    preview = _upload(coordinator, again).location
    assert _button(coordinator.get(preview).text) == "Importér 1 indgang"
    result = coordinator.get(coordinator.post(preview).location).text
    assert _receipt(result) == [
        "0 nye ejere",
        "0 nye ejendomme",
        "0 nye indgange",
        "Ændret: 0 ejendomme og 1 indgang",
        "0 indgange uændret",
        "1 række sprunget over på grund af fejl",
    ]
