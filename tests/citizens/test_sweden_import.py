"""Sweden as a first-class market: one canonical personnummer, local header names, and an
import preview that counts rows (not errors) and lists each row's errors under it."""

from datetime import date

import pytest
from click.testing import CliRunner

from portal.audit.services import SYSTEM
from portal.citizens import importer, validation
from portal.citizens.cli import national_id_doubles
from portal.citizens.register import NATIONAL_ID_PURPOSE, national_id_of
from tests.citizens.csvdata import make_reference_data
from tests.factories import make_citizen

IMPORT_DAY = date(2026, 11, 23)
SE = {"on": IMPORT_DAY, "country": "SE", "default_language": "sv"}
SWEDISH_HEADER = (
    "Externt id;Personnummer;Namn;Födelsedatum;Adress;Postnummer;Postort;Telefon;"
    "E-post;Språk;Område;Utförare;Hemtjänstgrupp;Trygghetslarm"
)


@pytest.fixture
def ref(app, db):
    """Reference data; a request context so the lazy messages can be read."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield make_reference_data(db)


def _swedish_file(*rows: str) -> bytes:
    return ("\n".join([SWEDISH_HEADER, *rows]) + "\n").encode("utf-8")


def _row(ext, pnr, born="1942-09-23", phone="070-123 45 67"):
    return (
        f"{ext};{pnr};Anna Andersson;{born};Storgatan 1;147 30;Tumba;{phone};;sv;Nordby;"
        "Demo Kommune Hjemmepleje;Team Nordby;nej"
    )


@pytest.mark.parametrize(
    "written",
    ["420923-4568", "19420923-4568", "4209234568", "194209234568", " 420923 - 4568 "[1:-1]],
)
def test_every_written_form_of_a_personnummer_is_one_canonical_value(written):
    assert validation.normalise_national_id(written, "SE") == "194209234568"


def test_plus_means_a_hundred_years_and_samordningsnummer_counts_day_minus_60():
    assert validation.normalise_national_id("420923+4568", "SE") == "184209234568"
    canonical = validation.normalise_national_id("701063-2391", "SE")
    assert canonical == "197010632391"
    assert validation.birth_date_of(canonical, "SE") == date(1970, 10, 3)


@pytest.mark.parametrize("bad", ["420923-4567", "421323-4568", "42092-34568", "abc", "", "=1+1"])
def test_invalid_personnummer_is_refused(bad):
    with pytest.raises(ValueError):
        validation.normalise_national_id(bad, "SE")


def test_swedish_headers_are_read_and_shown_under_their_own_name(db, keyring, ref):
    raw = _swedish_file(_row("K1", "420923-4568"), _row("K2", "19410324-1230", phone="x"))
    plan = importer.preview(db, keyring, raw, **SE)
    assert [r["external_id"] for r in plan.create] == ["K1"]
    assert plan.create[0]["national_id"] == "194209234568"
    assert plan.column("national_id") == "Personnummer"
    assert plan.column("phone") == "Phone (Telefon)"  # the reader's word, and the file's


def test_the_same_person_in_another_form_is_recognised_not_created_twice(db, keyring, ref):
    raw = _swedish_file(_row("K1", "420923-4568"))
    batch = importer.store_upload(db, "a.csv", raw, _user(db), _now())
    importer.commit_import(db, keyring, batch, actor=SYSTEM, now=_now(), **SE)
    db.commit()
    again = importer.preview(db, keyring, _swedish_file(_row("K9", "19420923-4568")), **SE)
    assert again.create == []
    assert [(e.row, e.column) for e in again.errors] == [(2, "national_id")]


def test_errors_are_counted_by_row_and_listed_under_each_row(db, keyring, ref):
    bad_twice = _row("K2", "19420923-4567", born="1942-13-01", phone="x")
    raw = _swedish_file(_row("K1", "420923-4568"), bad_twice, _row("K3", "nope"))
    plan = importer.preview(db, keyring, raw, **SE)
    assert len(plan.errors) == 4
    rows = plan.error_rows
    assert [n for n, _ in rows] == [3, 4]
    assert [e.column for e in rows[0][1]] == ["national_id", "date_of_birth", "phone"]


def test_the_result_counts_rows_with_errors(db, keyring, ref):
    raw = _swedish_file(_row("K1", "420923-4568"), _row("K2", "bad", born="x", phone="x"))
    batch = importer.store_upload(db, "a.csv", raw, _user(db), _now())
    counts = importer.commit_import(db, keyring, batch, actor=SYSTEM, now=_now(), **SE)
    assert counts["errors"] == 1 and counts["created"] == 1


def test_doubles_command_finds_one_person_stored_in_two_forms(app, db, keyring):
    first = make_citizen(db, national_id="420923-4568")
    second = make_citizen(db, national_id="194209234568")
    alone = make_citizen(db, national_id="701063-2391")
    db.commit()
    groups, restate = national_id_doubles(db, keyring, "SE")
    assert [{c.id for c in g} for g in groups] == [{first.id, second.id}]
    assert {c.id for c, _ in restate} == {first.id, alone.id}
    app.config["COUNTRY"] = "SE"
    try:
        result = CliRunner().invoke(
            app.cli, ["citizens", "national-id-doubles", "--restate"], obj=_script_info(app)
        )
    finally:
        app.config["COUNTRY"] = "DK"
    assert result.exit_code == 0, result.output
    assert "1 double(s)" in result.output and "restated 1 citizen(s)" in result.output
    db.expire_all()
    assert national_id_of(keyring, db.get(type(alone), alone.id)) == "197010632391"
    assert db.get(type(alone), alone.id).national_id_index == keyring.blind_index(
        "197010632391", NATIONAL_ID_PURPOSE
    )


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def _user(db):
    from tests.factories import make_user

    return make_user(db).id


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_a_deactivated_district_or_provider_is_refused_by_name(db, keyring, ref):
    nord, _ = ref["districts"]
    municipal, _ = ref["providers"]
    nord.active = False
    municipal.active = False
    db.commit()
    plan = importer.preview(db, keyring, _swedish_file(_row("K1", "420923-4568")), **SE)
    messages = {e.column: str(e.message) for e in plan.errors}
    assert messages["district"] == "Deactivated, no longer in use: Nordby"
    assert messages["provider"].startswith("Deactivated, no longer in use:")
    assert plan.create == []
