"""Names of districts, providers, contact persons and care groups stay on one line, as the
register's names do: a line break, tab, terminal escape or bidi override is refused with a
clear message on the pages, by `flask directory` and in the CSV import (the check lived in
citizens, a floor above the directory, so the directory could not use it)."""

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.citizens import validation
from portal.directory import csvload, reference
from portal.directory.models import CareGroup, District, Provider
from portal.web import text
from tests.directory.test_settings import TEXTS
from tests.factories import NOW, make_district, make_provider, make_user
from tests.helpers import sign_in_staff

BAD = {
    "terminal escape": "\x1b[31mNord",
    "line separator": "Nord\u2028Syd",
    "line break": "Nord\nSyd",
    "tab": "Nord\tSyd",
    "right-to-left override": "Nord \u202eSyd",
}
MESSAGE = "Write it on one line, without line breaks, tabs or hidden control characters"
IN_DANISH = "Skriv det på én linje"


def test_the_register_and_the_directory_share_one_check():
    assert validation.has_control is text.has_control
    assert validation.SingleLine is text.SingleLine
    assert validation.CONTROL_MESSAGE is text.CONTROL_MESSAGE


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def _forms(db):
    provider, district = make_provider(db), make_district(db, "Vest")
    db.commit()
    return {
        "district name": ("districts", {"name": "{}"}),
        "provider name": ("providers", {"name": "{}", "kind": "private"}),
        "contact name": ("providers", {"name": "Omsorg A/S", "kind": "private", "contact_name": "{}"}),
        "care group name": (
            "care-groups",
            {"provider": str(provider.id), "name": "{}", "districts": [str(district.id)]},
        ),
    }  # fmt: skip


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_the_setup_pages_refuse_a_name_that_is_not_one_line(client, db, coordinator, bad):
    for what, (kind, data) in _forms(db).items():
        filled = {k: (v.replace("{}", bad) if isinstance(v, str) else v) for k, v in data.items()}
        response = client.post(f"/coordinator/setup/{kind}/new", data=filled)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, what
        assert MESSAGE in html, what
    db.expire_all()
    assert db.scalar(select(CareGroup)) is None
    assert db.scalar(select(Provider.id).where(Provider.name == "Omsorg A/S")) is None
    assert not db.scalars(select(District.name).where(District.name.contains("Nord"))).all()


def test_the_message_is_in_the_page_language(client, db, coordinator):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    response = client.post("/coordinator/setup/districts/new", data={"name": BAD["line break"]})
    assert IN_DANISH in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "sender_address", "signature_name"])
def test_the_municipality_texts_on_letters_stay_on_one_line(client, db, coordinator, field):
    response = client.post("/coordinator/setup/texts", data={**TEXTS, field: "Eva\u2028Lind"})
    assert response.status_code == 200 and MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_the_services_refuse_it_too(db, bad):
    with pytest.raises(reference.NotOneLine) as refused:
        reference.save_district(db, None, bad, now=NOW, actor=SYSTEM)
    assert refused.value.field == "name"
    data = {"name": "Omsorg A/S", "kind": "private", "contact_name": bad, "phone": "", "email": ""}
    with pytest.raises(reference.NotOneLine) as refused:
        reference.save_provider(db, None, data, now=NOW, actor=SYSTEM)
    assert refused.value.field == "contact_name"
    assert db.scalar(select(Provider)) is None and db.scalar(select(District)) is None


def _cli(app, *args):
    return CliRunner().invoke(app.cli, ["directory", *args], obj=ScriptInfo(create_app=lambda: app))


@pytest.mark.parametrize("bad", ["\x1b[31mNord", "Nord\u2028Syd"], ids=["escape", "separator"])
def test_the_commands_refuse_it_with_a_clear_message(app, db, bad):
    provider, district = make_provider(db, name="Omsorg A/S"), make_district(db, "Vest")
    db.commit()
    for args, param in (
        (["add-district", bad], "'NAME'"),
        (["add-provider", bad], "'NAME'"),
        (["add-provider", "Pleje ApS", "--contact-name", bad], "'--contact-name'"),
        (["add-care-group", bad, "--provider", provider.name, "--district", district.name], "'NAME'"),
    ):  # fmt: skip
        result = _cli(app, *args)
        assert result.exit_code == 2, (args, result.output)
        assert f"Error: Invalid value for {param}: {bad!r} holds a line break" in result.output
        assert "write it on one line" in result.output
    db.expire_all()
    assert db.scalars(select(District.name)).all() == ["Vest"]
    assert db.scalars(select(Provider.name)).all() == ["Omsorg A/S"]
    assert db.scalar(select(CareGroup)) is None


def test_the_import_names_the_row_and_the_column(app, db):
    files = {
        "districts": 'navn\nNord\n"Syd\nVest"\n\x1b[31mØst\n',
        "providers": "navn;kontaktperson\nOmsorg A/S;Eva Lind\nPleje ApS;Eva\u2028Lind\n",
    }
    with app.test_request_context(headers={"Accept-Language": "en"}):
        districts = csvload.plan(db, "districts", files["districts"].encode(), country="DK")
        providers = csvload.plan(db, "providers", files["providers"].encode(), country="DK")
        errors = {
            kind: {n: [(c, str(m)) for c, m in p] for n, p in loaded.errors.items()}
            for kind, loaded in (("districts", districts), ("providers", providers))
        }
    assert errors == {
        "districts": {3: [("name", MESSAGE)], 4: [("name", MESSAGE)]},
        "providers": {3: [("contact_name", MESSAGE)]},
    }
    assert [r["name"] for r in districts.create] == ["Nord"]
    assert [r["name"] for r in providers.create] == ["Omsorg A/S"]
