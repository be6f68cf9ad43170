"""Every Danish and Swedish message is translated, and the catalogs are what pages use."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _catalogs_module():
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_danish_or_swedish_message_is_empty_or_fuzzy():
    assert _catalogs_module().problems() == []


def test_the_checker_notices_an_empty_message(tmp_path, monkeypatch):
    catalogs = _catalogs_module()
    folder = tmp_path / "translations"
    po = folder / "da" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "messages.po").write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr ""\n')
    monkeypatch.setattr(catalogs, "catalogs", lambda: {folder: []})
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    assert catalogs.problems() == ["translations/da/LC_MESSAGES/messages.po: 'Hello'"]


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_one_english_text_has_one_translation_in_every_catalog(lang):
    """The feature catalogs are merged into one at run time, and the first that has a text
    wins on every page: "Last changed" translated as "Sidst ændret" by booking and "Senest
    ændret" by privacy showed the privacy wording on the booking panel. A text that needs two
    translations needs two English texts (or a context)."""
    from babel.messages.pofile import read_po

    found: dict = {}
    for path in sorted((ROOT / "portal").glob(f"**/translations/{lang}/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string:
                    key = (str(message.id), message.context)
                    found.setdefault(key, {})[path.parts[-5]] = str(message.string)
    assert len(found) > 1000
    differing = {key[0]: seen for key, seen in found.items() if len(set(seen.values())) > 1}
    assert differing == {}


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("da", "Nøglefri hjemmepleje"), ("sv", "Nyckelfri hemtjänst"), ("en", "Keyless home care")],
)
def test_language_switch_is_remembered(client, lang, heading):
    response = client.get(f"/language/{lang}?next=/")
    assert response.status_code == 303 and response.location.endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert heading in page


def test_unknown_language_is_404_and_offsite_next_is_ignored(client):
    assert client.get("/language/xx").status_code == 404
    response = client.get("/language/da?next=https://evil.example/")
    assert response.location in ("/", "http://localhost/")
