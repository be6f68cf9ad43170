"""Language names are written in the page's language ("engelsk" on a Danish page, "engelska" on
a Swedish one), as each language writes them mid-sentence; only the language switcher keeps
each language's own name for itself."""

import re

import pytest
from sqlalchemy import select

from portal.letters.models import LetterBatch
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def coordinator_client(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client


@pytest.fixture
def people(db, district):
    made = [
        make_citizen(db, district=district, language=lang, address=f"Brevvej {i}")
        for i, lang in enumerate(("da", "sv", "en"))
    ]
    db.commit()
    return made


def _speak(client, lang):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("sv", "danska 1, engelska 1, svenska 1"),
        ("da", "dansk 1, engelsk 1, svensk 1"),
        ("en", "Danish 1, English 1, Swedish 1"),
    ],
)
def test_the_letter_count_names_languages_in_the_page_language(
    coordinator_client, district, people, lang, counts
):
    _speak(coordinator_client, lang)
    html = coordinator_client.get(f"/coordinator/letters?scope=district:{district.id}")
    assert counts in _text(html.get_data(as_text=True))


def test_the_citizen_page_names_the_language_in_the_page_language(coordinator_client, db, people):
    _speak(coordinator_client, "da")
    html = coordinator_client.get(f"/coordinator/citizens/{people[2].id}").get_data(as_text=True)
    text = _text(html)
    assert "Sprog engelsk" in text
    # The switcher keeps the endonyms: a reader finds their own language there.
    switcher = re.findall(r'hreflang="(\w+)"[^>]*>([^<]+)</a>', html)
    assert switcher == [("da", "Dansk"), ("sv", "Svenska"), ("en", "English")]
    assert "Sprog English" not in text


def test_the_batch_letter_list_names_languages_in_the_page_language(
    coordinator_client, db, district, people, immediate_jobs, letters_config
):
    coordinator_client.post(
        "/coordinator/letters/batches",
        data={"start-scope": f"district:{district.id}", "start-only_new": ""},
    )
    batch = db.scalar(select(LetterBatch))
    _speak(coordinator_client, "sv")
    html = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}/letters")
    cells = re.findall(r"<td>([^<]*)</td>", html.get_data(as_text=True))
    assert {"danska", "svenska", "engelska"} <= set(cells)
    assert not {"Dansk", "Svenska", "English"} & set(cells)
