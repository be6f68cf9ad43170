"""The menu of a relative signed in for a citizen names the citizen: "Min side" / "Min
montering" read as the relative's own page and fitting (a leftover from the relatives'
wording). The citizen keeps "My page" and "My fitting"."""

import re

import pytest

from tests.conftest import isolated_client
from tests.factories import make_citizen
from tests.helpers import sign_in_citizen

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


def _menu(client, lang) -> list[str]:
    page = client.get("/citizen/", headers={"Accept-Language": lang}).get_data(as_text=True)
    nav = page.split('id="main-menu-items">', 1)[1].split("</ul>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in nav.split("</li>")[:-1]]


def _title(client, lang) -> str:
    page = client.get("/citizen/", headers={"Accept-Language": lang}).get_data(as_text=True)
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


@pytest.fixture
def citizen(db, clock):
    made = make_citizen(db, name="Karen Jensen")
    db.commit()
    return made


@pytest.mark.parametrize(
    ("lang", "home", "fitting"),
    [("da", "Min side", "Min montering"), ("sv", "Min sida", "Min montering")],
)
def test_the_citizen_reads_my_page(app, citizen, lang, home, fitting):
    client = isolated_client(app)
    sign_in_citizen(client, citizen)
    menu = _menu(client, lang)
    assert menu[:2] == [home, fitting]
    assert _title(client, lang).startswith(home)


@pytest.mark.parametrize(("lang", "fitting"), [("da", "Montering"), ("sv", "Montering")])
def test_a_relative_reads_the_citizens_name(app, citizen, lang, fitting):
    client = isolated_client(app)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    menu = _menu(client, lang)
    assert menu[:2] == ["Karen Jensen", fitting]
    assert not {"Min side", "Min sida", "Min montering"} & set(menu)
    assert _title(client, lang).startswith("Karen Jensen")


def test_a_name_in_the_menu_is_escaped(app, db, clock):
    citizen = make_citizen(db, name="Karen <b>Jensen</b>")
    db.commit()
    client = isolated_client(app)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    page = client.get("/citizen/").get_data(as_text=True)
    assert "<span>Karen &lt;b&gt;Jensen&lt;/b&gt;</span>" in page
