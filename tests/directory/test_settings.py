"""The municipality's own texts: stored, laid over the config, checked off, never demo in
production; the logo; and the reference-data import and commands."""

import io
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from portal import create_app
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.directory import settings
from portal.directory.models import CareGroup, District, Provider
from tests.conftest import make_test_config
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff

TEXTS = {
    "name": "Botkyrka kommun",
    "phone": "70 20 30 40",
    "email": "hemtjanst@botkyrka.example",
    "sender_address": "Munkhättevägen 45, 147 85 Tumba",
    "portal_url": "https://nyckelfri.botkyrka.example",
    "signature_name": "Eva Lind",
    **{f"hours_{lang}": f"hours {lang}" for lang in ("da", "sv", "en")},
    **{f"signature_title_{lang}": f"title {lang}" for lang in ("da", "sv", "en")},
}


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def test_saved_texts_replace_the_demo_defaults_everywhere(app, client, db, coordinator):
    assert client.post("/coordinator/setup/texts", data=TEXTS).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Botkyrka kommun" in page and "Demo Kommune" not in page
    assert "70 20 30 40" in page
    assert app.config["LETTER_SIGNATURE_NAME"] == "Eva Lind"
    assert app.config["LETTER_SIGNATURE_TITLE"]["sv"] == "title sv"
    record = db.scalar(select(AuditRecord).where(AuditRecord.action == "settings.changed"))
    assert "signature_name" in record.data["keys"]


def test_without_stored_texts_the_config_defaults_come_back(app, client, db):
    # The previous test's rows are gone: the next app context restores the defaults.
    client.get("/")
    assert app.config["LETTER_SIGNATURE_NAME"] == "Mette Holm"


def test_the_form_comes_back_filled_in_with_the_errors(client, db, coordinator):
    bad = {**TEXTS, "portal_url": "javascript:alert(1)", "hours_sv": "", "email": "no"}
    response = client.post("/coordinator/setup/texts", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the address starting with https://" in html
    assert "Fill in every language" in html
    assert 'value="Botkyrka kommun"' in html
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "settings.changed")) is None


@pytest.mark.parametrize(("env", "saved"), [("production", False), ("development", True)])
def test_a_plain_http_address_is_refused_in_production(
    app, client, db, coordinator, monkeypatch, env, saved
):
    # Letters' QR links carry citizens' codes to this address: production refuses http on the
    # form too, not only at the next start (a development portal serves http://127.0.0.1).
    monkeypatch.setitem(app.config, "ENV_NAME", env)
    answer = client.post(
        "/coordinator/setup/texts", data={**TEXTS, "portal_url": "http://nyckelfri.example"}
    )
    assert (answer.status_code == 303) is saved
    if not saved:
        html = answer.get_data(as_text=True)
        assert "Enter the address starting with https://" in html
        assert 'value="http://nyckelfri.example"' in html  # what was typed is kept
    changed = db.scalar(select(AuditRecord).where(AuditRecord.action == "settings.changed"))
    assert (changed is not None) is saved


def test_the_checklist_names_what_is_missing_until_it_is_done(client, db, coordinator):
    html = client.get("/coordinator/setup").get_data(as_text=True)
    assert "13 things are still missing" in html
    client.post("/coordinator/setup/texts", data=TEXTS)
    client.post(
        "/coordinator/setup/logo",
        data={"logo": (io.BytesIO(PNG_LOGO), "logo.png")},
        content_type="multipart/form-data",
    )
    client.post("/coordinator/setup/districts/new", data={"name": "Tumba"})
    client.post("/coordinator/setup/providers/new", data={"name": "P", "kind": "private"})
    district, provider = db.scalar(select(District)), db.scalar(select(Provider))
    client.post(
        "/coordinator/setup/care-groups/new",
        data={"provider": provider.id, "name": "G", "districts": [district.id]},
    )
    html = client.get("/coordinator/setup").get_data(as_text=True)
    assert "1 thing is still missing" in html and "flask users create" not in html
    # The missing locksmith links to where a coordinator adds one, not to a server command.
    assert 'href="/coordinator/staff-accounts#add-staff"' in html
    make_user(db, "locksmith")
    db.commit()
    assert "Everything is set up." in client.get("/coordinator/setup").get_data(as_text=True)


def test_the_logo_is_checked_stored_and_served_safely(client, db, coordinator):
    def upload(data, name):
        return client.post(
            "/coordinator/setup/logo",
            data={"logo": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    upload(b"GIF89a not ours", "x.gif")
    assert client.get("/municipality/logo").status_code == 404
    upload(b"x" * (201 * 1024), "big.png")
    assert client.get("/municipality/logo").status_code == 404
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert upload(svg, "logo.svg").status_code == 303
    served = client.get("/municipality/logo")
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "/municipality/logo?v=" in client.get("/").get_data(as_text=True)


def test_production_refuses_demo_defaults_in_letters(app, db, tmp_path):
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path))
    production = create_app(config)

    def letter_problems():
        with production.app_context():
            return list(settings.demo_letter_defaults(production.config, db))

    assert "LETTER_SIGNATURE_NAME" in " ".join(letter_problems())
    # Texts stored by a coordinator count: the same app starts once they are set.
    with production.app_context():
        values = {k: TEXTS[k] for k in ("name", "phone", "email", "sender_address")}
        values |= {"portal_url": TEXTS["portal_url"], "signature_name": "Eva Lind"}
        settings.save(db, values, now=NOW, actor=SYSTEM)
        db.commit()
    assert letter_problems() == []


def test_create_app_runs_the_letters_check_in_production(app, tmp_path):
    config = make_test_config(
        app.config["SQLALCHEMY_DATABASE_URI"],
        str(tmp_path),
        ENV_NAME="production",
        INSECURE_COOKIES=False,
        SECRET_KEY="Zq9" + "k7" * 20,
    )
    with pytest.raises(RuntimeError, match="demo municipality.s texts"):
        create_app(config)


REFERENCE_FILES = {
    "districts": "Namn\nTumba\nTullinge\n\n",
    "providers": "Namn;Typ;Telefon\nHemtjänst Botkyrka;kommunal;+46 8 530 610 00\nOmsorg AB;privat;\n",
    "care_groups": (
        "Namn;Utförare;Områden;Nattpatrull\n"
        "Tumba 1;Hemtjänst Botkyrka;Tumba;nej\n"
        "Natt;Hemtjänst Botkyrka;Tumba|Tullinge;ja\n"
        "Fel;Okänd AB;Tumba|Ingenstans;nej\n"
    ),
}


def test_reference_data_loads_from_swedish_files_with_a_preview(client, db, coordinator):
    for kind, text in REFERENCE_FILES.items():
        data = {"kind": kind, "file": (io.BytesIO(text.encode()), f"{kind}.csv")}
        preview = client.post(
            "/coordinator/setup/import", data=data, content_type="multipart/form-data"
        )
        html = preview.get_data(as_text=True)
        assert preview.status_code == 200 and "Check the import" in html
        assert db.scalar(select(District).where(District.name == "Nowhere")) is None
        confirmed = client.post(
            "/coordinator/setup/import/confirm", data={"kind": kind, "content": text}
        )
        assert confirmed.status_code == 303
    assert "<strong>Utförare</strong>: Unknown provider: Okänd AB" in html
    assert "Ingenstans" in html
    groups = {g.name: g for g in db.scalars(select(CareGroup))}
    assert set(groups) == {"Tumba 1", "Natt"} and groups["Natt"].night_patrol
    assert len(groups["Natt"].districts) == 2
    assert db.scalar(select(Provider).where(Provider.name == "Omsorg AB")).kind == "private"


def test_directory_commands_create_and_import(app, db, tmp_path):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)

    def run(*args):
        result = runner.invoke(app.cli, ["directory", *args], obj=info)
        assert result.exit_code == 0, result.output
        return result.output

    run("add-district", "Nordby")
    run("add-provider", "Demo Hjemmepleje", "--kind", "municipal")
    run("add-care-group", "Team Nord", "--provider", "Demo Hjemmepleje", "--district", "Nordby")
    path = tmp_path / "d.csv"
    path.write_text("navn\nNordby\nSønderby\n", encoding="utf-8")
    assert "1 new, 1 already there" in run("import", "districts", str(path), "--dry-run")
    assert "created 1" in run("import", "districts", str(path))
    assert "Team Nord" in run("list")
    again = runner.invoke(app.cli, ["directory", "add-district", "Nordby"], obj=info)
    assert again.exit_code != 0 and "already named" in again.output


def test_demo_defaults_are_not_offered_and_do_not_count_as_set(client, db, coordinator):
    html = client.get("/coordinator/setup/texts").get_data(as_text=True)
    # Never offered as a value to save; the field's hint names it as what the pages show now.
    assert 'value="Mette Holm"' not in html and 'value="Demo Kommune"' not in html
    assert "the demo value “Mette Holm”" in html
    assert client.post("/coordinator/setup/texts", data={**TEXTS, "signature_name": "Mette Holm"})
    assert "6 things are still missing" in client.get("/coordinator/setup").get_data(as_text=True)
    missing = settings.missing(db, ("da", "sv", "en"))
    assert "signature_name" in missing and "name" not in missing


def test_an_uploaded_logo_is_in_the_letters(app, client, db, coordinator):
    from portal.letters import content

    client.post(
        "/coordinator/setup/logo",
        data={"logo": (io.BytesIO(PNG_LOGO), "logo.png")},
        content_type="multipart/form-data",
    )
    client.get("/")  # the next app context lays the settings over the config
    assert content.sender_of(app.config)["logo"].startswith("data:image/png;base64,iVBOR")
    assert content.sender_of(app.config)["logo"] == app.config["MUNICIPALITY_LOGO_DATA"]


PNG_LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_hostile_or_too_long_texts_are_escaped_or_refused(client, db, coordinator):
    hostile = {**TEXTS, "name": "<script>alert(1)</script>", "hours_da": "=cmd|' /C calc'!A0"}
    assert client.post("/coordinator/setup/texts", data=hostile).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    too_long = {**TEXTS, "name": "x" * 121, "signature_title_sv": "y" * 201}
    response = client.post("/coordinator/setup/texts", data=too_long)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("At most 120 characters") >= 1 and html.count("At most 200 characters") >= 1
    assert "x" * 121 in html  # the form comes back filled in


@pytest.mark.parametrize(
    ("lang", "labels", "title"),
    [
        (
            "da",
            ["Telefontid på dansk", "Telefontid på svensk", "Telefontid på engelsk"],
            "Titel under underskriften på engelsk",
        ),
        (
            "sv",
            ["Telefontid på danska", "Telefontid på svenska", "Telefontid på engelska"],
            "Titel under underskriften på engelska",
        ),
        (
            "en",
            ["Phone hours in Danish", "Phone hours in Swedish", "Phone hours in English"],
            "Title under the signature in English",
        ),
    ],
)
def test_per_language_fields_name_the_language_in_the_page_language(
    client, db, coordinator, lang, labels, title
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = client.get("/coordinator/setup/texts").get_data(as_text=True)
    found = re.findall(r'<label class="form-label" for="hours_\w+">\s*([^<]+?)\s*<', html)
    assert found == labels
    assert title in html
    assert not re.search(r"på (Dansk|Svenska|English)|in (Dansk|Svenska)", html)


def test_each_hours_field_has_an_example_in_its_own_language(client, db, coordinator):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    html = client.get("/coordinator/setup/texts").get_data(as_text=True)
    hints = re.findall(r'id="hours_(\w+)-hint"[^>]*>\s*([^<]+?)\s*<', html)
    assert dict(hints) == {
        "da": "Skrivet som det läses mitt i en mening, till exempel: mandag–fredag kl. 9–15",
        "sv": "Skrivet som det läses mitt i en mening, till exempel: måndag–fredag kl. 9–15",
        "en": "Skrivet som det läses mitt i en mening, till exempel: Monday to Friday 9–15",
    }
    assert "Telefonnummer som brukarna ringer till" in html


def test_the_texts_form_shows_what_another_web_process_saved(app, client, db, coordinator):
    """Two web processes each cache the settings for SETTINGS_CACHE_SECONDS: the form a
    coordinator edits on the second must carry the texts just saved on the first, or saving
    it would write the old ones back."""
    config = make_test_config(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config["INSTANCE_PATH"],
        SETTINGS_CACHE_SECONDS=3600,
    )
    other = create_app(config)
    other_client = other.test_client()
    sign_in_staff(other_client, coordinator)
    before = other_client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert "Eva Lind" not in before  # its cache is now fresh, for an hour
    assert client.post("/coordinator/setup/texts", data=TEXTS).status_code == 303
    form = other_client.get("/coordinator/setup/texts").get_data(as_text=True)
    assert 'value="Eva Lind"' in form and 'value="Botkyrka kommun"' in form
    assert "Botkyrka kommun" in other_client.get("/coordinator/setup").get_data(as_text=True)
