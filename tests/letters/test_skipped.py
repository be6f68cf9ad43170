"""A batch checks each letter again when it is made: a citizen who no longer meets the rule
that chose them (booked, opted out, care ended, moved out, has a letter) is skipped, with the
reason, and their letter is in neither the print file nor the manifest."""

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.letters import batch as batch_module
from portal.letters import scope, services
from portal.letters.batch import run_batch
from portal.letters.models import Letter, LetterBatch
from portal.letters.output import MANIFEST_COLUMNS, SKIPPED_HEADERS
from portal.letters.progress import progress_of
from tests.booking.support import make_campaign
from tests.factories import NOW, make_citizen, make_district
from tests.letters.conftest import pdf_text


class Crash(BaseException):
    """Stands in for the process dying (not an Exception: nothing may catch it)."""


@pytest.fixture
def citizens(db, district):
    """Four citizens in postal order of their addresses."""
    people = [
        make_citizen(db, district=district, language=lang, address=f"Skovvej {i}")
        for i, lang in enumerate(("da", "sv", "en", "da"), start=1)
    ]
    db.commit()
    return people


def _batch(db, district, tmp_path, only_new=False, campaign=None, name="out"):
    chosen = scope.Scope(district.id, campaign.id if campaign else None, district.name)
    batch = services.create_batch(
        db, chosen, only_new=only_new, actor=SYSTEM, now=NOW, directory=tmp_path / name
    )
    db.commit()
    return batch


def _run(app, db, batch_id, **kw):
    kw.setdefault("clock", lambda: NOW)
    return run_batch(db, batch_id, config=app.config, keyring=app.extensions["keyring"], **kw)


def _csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _manifest_names(directory: Path) -> list[str]:
    rows = _csv(directory / "manifest.csv")[1:]
    return [dict(zip(MANIFEST_COLUMNS, row, strict=True))["name"] for row in rows]


def _book(db, citizen, district):
    lifecycle.booked(citizen)


def _opt_out(db, citizen, district):
    lifecycle.opted_out(citizen)


def _die(db, citizen, district):
    lifecycle.care_ended(citizen)  # a death ends care (Reinstatement reason "deceased")


def _move_away(db, citizen, district):
    citizen.district_id = make_district(db, name="Sydby").id


def _get_a_letter_by_hand(db, citizen, district):
    services.record_single_posted(db, citizen.id, actor=SYSTEM, now=NOW)


CASES = [
    (_book, False, "booked", "Har allerede booket en montering"),
    (_opt_out, False, "opted_out", "Har sagt nej til nøglefri hjemmepleje"),
    (_die, False, "care_ended", "Får ikke længere hjemmepleje"),
    (_move_away, False, "moved_out", "Er flyttet ud af distriktet"),
    (_get_a_letter_by_hand, True, "has_letter", "Har allerede fået et brev, eller et er på vej"),
]


@pytest.mark.parametrize(("change", "only_new", "reason", "danish"), CASES)
def test_a_citizen_who_no_longer_qualifies_is_skipped_with_the_reason(
    app, db, district, citizens, tmp_path, letters_config, change, only_new, reason, danish
):
    batch = _batch(db, district, tmp_path, only_new=only_new)
    gone = citizens[1]
    change(db, gone, district)
    db.commit()

    result = _run(app, db, batch.id)

    assert (result.status, result.done, result.failed, result.skipped) == ("done", 3, 0, 1)
    letter = db.scalar(
        select(Letter).where(Letter.batch_id == batch.id, Letter.citizen_id == gone.id)
    )
    assert (letter.status, letter.error, letter.pages) == ("skipped", reason, None)
    out = Path(batch.directory)
    assert not (out / f"{letter.reference}.pdf").exists()
    assert gone.name not in _manifest_names(out)
    assert len(_manifest_names(out)) == 3
    merged = pdf_text(out / "merged.pdf")
    assert gone.code[:4] not in merged and citizens[0].code[:4] in merged
    # The coordinator's list of letters not sent, in the municipality's language (Danish).
    rows = _csv(out / "skipped.csv")
    assert tuple(rows[0]) == SKIPPED_HEADERS["da"]
    assert rows[1:] == [
        [letter.reference, gone.name, f"{gone.address}, {gone.postcode} {gone.city}", danish]
    ]
    progress = progress_of(db, db.get(LetterBatch, batch.id), NOW, app.config)
    assert (progress.done, progress.skipped, progress.handled, progress.resumable) == (
        3,
        1,
        4,
        False,
    )
    # Posting the batch records only the letters made.
    services.mark_posted(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    assert db.get(Letter, letter.id).posted_at is None


def test_moving_out_of_a_campaigns_district_skips_the_letter(
    app, db, district, citizens, tmp_path, letters_config
):
    from datetime import date

    campaign = make_campaign(
        db, district, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31), name="Wave 1"
    )
    db.commit()
    batch = _batch(db, district, tmp_path, campaign=campaign)
    _move_away(db, citizens[3], district)
    db.commit()
    result = _run(app, db, batch.id)
    assert (result.done, result.skipped) == (3, 1)
    letter = db.scalar(
        select(Letter).where(Letter.batch_id == batch.id, Letter.citizen_id == citizens[3].id)
    )
    assert (letter.status, letter.error) == ("skipped", "moved_out")


def test_a_skipped_letter_counts_as_no_letter_for_the_next_batch(
    app, db, district, citizens, tmp_path, letters_config
):
    batch = _batch(db, district, tmp_path, only_new=True)
    lifecycle.booked(citizens[0])
    db.commit()
    _run(app, db, batch.id)
    lifecycle.booking_cancelled(citizens[0], "registered")
    db.commit()
    chosen = scope.Scope(district.id, None, district.name)
    assert [c.id for c in db.scalars(scope.recipients(chosen, only_new=True))] == [citizens[0].id]


def test_a_resumed_batch_keeps_its_skips_and_makes_the_same_print_file(
    app, db, district, citizens, tmp_path, letters_config, monkeypatch
):
    """Killed after a letter was skipped; meanwhile the citizen qualifies again. The resumed
    run leaves the letter skipped, and its print file and manifest are byte for byte those of
    an uninterrupted run with the same skip."""
    whole = _batch(db, district, tmp_path, name="whole")
    broken = _batch(db, district, tmp_path, name="broken")
    lifecycle.booked(citizens[1])
    db.commit()
    assert _run(app, db, whole.id).skipped == 1

    real_finish = batch_module._Run.finish_one
    calls = []

    def crash_on_second_record(run, future):
        calls.append(1)
        if len(calls) == 2:
            raise Crash
        return real_finish(run, future)

    monkeypatch.setattr(batch_module._Run, "finish_one", crash_on_second_record)
    with pytest.raises(Crash):
        _run(app, db, broken.id)
    db.rollback()
    statuses = [x.status for x in db.scalars(_letters(broken.id))]
    assert statuses[:2] == ["done", "skipped"]

    monkeypatch.setattr(batch_module._Run, "finish_one", real_finish)
    lifecycle.booking_cancelled(citizens[1], "registered")  # qualifies again: stays skipped
    db.commit()
    later = NOW + timedelta(minutes=10)
    result = _run(app, db, broken.id, clock=lambda: later)
    assert (result.status, result.done, result.skipped) == ("done", 3, 1)
    skipped = db.scalar(_letters(broken.id).where(Letter.status == "skipped"))
    assert (skipped.citizen_id, skipped.error) == (citizens[1].id, "booked")
    one, two = Path(whole.directory), Path(broken.directory)
    for name in ("merged.pdf", "manifest.csv", "skipped.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert len(PdfReader(two / "merged.pdf").pages) > 0


def _letters(batch_id):
    return select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.position)


def test_the_batch_page_counts_and_lists_the_letters_not_sent(
    coordinator_client, app, db, district, citizens, tmp_path, letters_config
):
    batch = _batch(db, district, tmp_path)
    lifecycle.opted_out(citizens[2])
    db.commit()
    _run(app, db, batch.id)
    url = f"/coordinator/letters/batches/{batch.id}"

    page = coordinator_client.get(url).get_data(as_text=True)
    assert "Ready to print" in page and "3 of 4 letters made." in page
    assert "1 letter not sent: the citizen no longer qualifies." in page
    assert "Letters not sent" in page and citizens[2].name in page
    assert "Has said no to keyless care" in page
    assert f"{url}/skipped.csv" in page
    fragment = coordinator_client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Has said no to keyless care" in fragment and "<html" not in fragment

    listing = coordinator_client.get(f"{url}/letters").get_data(as_text=True)
    assert "Not sent: Has said no to keyless care" in listing
    download = coordinator_client.get(f"{url}/skipped.csv")
    assert download.mimetype == "text/csv"
    assert "Har sagt nej til nøglefri hjemmepleje" in download.get_data(as_text=True)
    detail = coordinator_client.get(f"/coordinator/citizens/{citizens[2].id}")
    assert "Not sent: Has said no to keyless care" in detail.get_data(as_text=True)

    coordinator_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    dansk = coordinator_client.get(url).get_data(as_text=True)
    assert "1 brev ikke sendt: borgeren opfylder ikke længere betingelserne." in dansk
    assert "Har sagt nej til nøglefri hjemmepleje" in dansk
    coordinator_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    svenska = coordinator_client.get(url).get_data(as_text=True)
    assert "Har sagt nej till nyckelfri hemtjänst" in svenska
    assert "Brev som inte skickades" in svenska


def test_a_citizen_who_books_while_the_letter_before_theirs_is_made_is_skipped(
    app, db, district, citizens, tmp_path, letters_config, monkeypatch
):
    """The four letters are one group of the batch; the second citizen books while the first
    letter is being made, and gets no letter."""
    real_html_for = batch_module._Run.html_for

    def book_second_while_first_is_made(run, letter):
        html = real_html_for(run, letter)
        if letter.citizen_id == citizens[0].id:
            lifecycle.booked(citizens[1])  # committed with the first letter's snapshot
        return html

    monkeypatch.setattr(batch_module._Run, "html_for", book_second_while_first_is_made)
    batch = _batch(db, district, tmp_path)
    result = _run(app, db, batch.id)
    assert (result.done, result.skipped) == (3, 1)
    second = db.scalar(select(Letter).where(Letter.citizen_id == citizens[1].id))
    assert (second.status, second.error) == ("skipped", "booked")
    rows = _csv(Path(batch.directory) / "skipped.csv")
    assert rows[1][1] == citizens[1].name and rows[1][3] == "Har allerede booket en montering"
