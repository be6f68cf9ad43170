"""Providers' phones from a CSV file or `flask directory add-provider` are checked as the
provider form checks them (a number of the municipality's country, or one with its country
code) and kept in E.164."""

import io

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from portal.directory import csvload
from portal.directory.models import Provider
from tests.factories import make_user
from tests.helpers import sign_in_staff

BAD_PHONES = {
    "line break": '"20 12\n34 56"',
    "tab": "20\t12 34 56",
    "right-to-left override": "20 12 \u202e34 56",
    "markup": "<b>20123456</b>",
    "too long": "2" * 33,
    "too short": "12",
    "Swedish number without +46 in Denmark": "08-123 456 78",
}


def _file(phone: str) -> bytes:
    return f"name;kind;phone\nGood Care;private;20 12 34 56\nBad Care;private;{phone}\n".encode()


@pytest.mark.parametrize("phone", BAD_PHONES.values(), ids=BAD_PHONES.keys())
def test_a_bad_phone_is_an_error_of_its_row(app, db, phone):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        loaded = csvload.plan(db, "providers", _file(phone), country="DK")
        assert {n: [(c, str(m)) for c, m in p] for n, p in loaded.errors.items()} == {
            3: [
                (
                    "phone",
                    "Too long (at most 32 characters)"
                    if len(phone) > 32
                    else "Not a valid phone number",
                )
            ]
        }
    assert [(r["name"], r["phone"]) for r in loaded.create] == [("Good Care", "+4520123456")]


def test_phones_are_kept_in_e164_whatever_way_they_were_written(app, db):
    text = b"navn;telefon\nA;+45 20-12-34-56\nB;70 20 30 40\nC;+46 8 530 610 00\nD;\n"
    with app.test_request_context():
        loaded = csvload.plan(db, "providers", text, country="DK")
    assert loaded.errors == {}
    assert [r["phone"] for r in loaded.create] == ["+4520123456", "+4570203040", "+46853061000", ""]
    sweden = csvload.plan(db, "providers", b"namn;telefon\nE;08 530 610 00\n", country="SE")
    assert [r["phone"] for r in sweden.create] == ["+46853061000"]


def test_the_import_page_names_the_row_and_stores_the_good_ones(client, db):
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    text = "Navn;Telefon\nGood Care;20 12 34 56\nBad Care;08-123 456 78\n"
    data = {"kind": "providers", "file": (io.BytesIO(text.encode()), "p.csv")}
    preview = client.post(
        "/coordinator/setup/import", data=data, content_type="multipart/form-data"
    )
    html = preview.get_data(as_text=True)
    assert "<strong>Telefon</strong>: Not a valid phone number" in html
    done = client.post(
        "/coordinator/setup/import/confirm", data={"kind": "providers", "content": text}
    )
    assert done.status_code == 303
    assert db.execute(select(Provider.name, Provider.phone)).all() == [("Good Care", "+4520123456")]


def _cli(app, *args):
    return CliRunner().invoke(app.cli, ["directory", *args], obj=ScriptInfo(create_app=lambda: app))


@pytest.mark.parametrize("phone", ["08-123 456 78", "<b>20123456</b>", "12", "20\t12 34 56"])
def test_add_provider_refuses_a_bad_phone_with_a_clear_message(app, db, phone):
    result = _cli(app, "add-provider", "Bad Care", "--phone", phone)
    assert result.exit_code == 2
    assert "Error: Invalid value for --phone:" in result.output
    assert "is not a valid phone number in DK" in result.output
    assert db.scalar(select(Provider.id)) is None


def test_add_provider_stores_the_phone_in_e164(app, db):
    result = _cli(app, "add-provider", "Good Care", "--phone", "20 12 34 56")
    assert result.exit_code == 0, result.output
    assert _cli(app, "add-provider", "No Phone").exit_code == 0
    rows = db.execute(select(Provider.name, Provider.phone).order_by(Provider.id)).all()
    assert rows == [("Good Care", "+4520123456"), ("No Phone", None)]
