"""Coordinator pages: choose, count, preview, start, progress (fragment and page), act, download."""

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.letters import scope, services
from portal.letters.models import Letter, LetterBatch
from tests.booking.support import make_campaign
from tests.factories import NOW, make_citizen

HX = {"HX-Request": "true"}


@pytest.fixture
def people(db, district):
    """Three citizens in the district, one per language."""
    # Addresses in order, so people[0] is the first recipient (letters go out in postcode,
    # address order) whatever the factory's running counter has reached.
    made = [
        make_citizen(db, district=district, language=lang, address=f"Brevvej {i}")
        for i, lang in enumerate(("da", "sv", "en"))
    ]
    db.commit()
    return made


def test_letters_is_in_the_coordinators_navigation(coordinator_client):
    page = coordinator_client.get("/coordinator/letters").get_data(as_text=True)
    assert 'href="/coordinator/letters"' in page and 'aria-current="page"' in page


def test_choosing_a_district_shows_the_count_and_previews(coordinator_client, district, people):
    url = f"/coordinator/letters?scope=district:{district.id}"
    page = coordinator_client.get(url).get_data(as_text=True)
    assert "<html" in page and "3 letters" in page
    assert f"/coordinator/letters/preview/{people[0].id}" in page
    fragment = coordinator_client.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="letter-choice"' in body and "3 letters" in body
    assert "HX-Request" in fragment.headers["Vary"]
    only_new = coordinator_client.get(url + "&only_new=y").get_data(as_text=True)
    assert "3 letters" in only_new
    unknown = coordinator_client.get("/coordinator/letters?scope=district:999")
    assert "Choose a campaign or a district" in unknown.get_data(as_text=True)


def test_preview_as_web_page_and_as_pdf(coordinator_client, people):
    citizen = people[1]  # Swedish
    page = coordinator_client.get(f"/coordinator/letters/preview/{citizen.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="sv">' in html
    assert citizen.code[:4] in html and "/letters/letter.css" in html
    assert "/static/img/logo.svg" in html
    css = coordinator_client.get("/letters/letter.css")
    assert css.mimetype == "text/css" and "/static/vendor/dkfds/fonts" in css.get_data(as_text=True)
    pdf = coordinator_client.get(f"/coordinator/letters/preview/{citizen.id}.pdf")
    assert pdf.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(pdf.data)).pages) == 2
    assert coordinator_client.get("/coordinator/letters/preview/999").status_code == 404


def test_start_runs_the_batch_and_offers_the_files(
    coordinator_client, db, district, people, immediate_jobs, letters_config
):
    response = coordinator_client.post(
        "/coordinator/letters/batches",
        data={"start-scope": f"district:{district.id}", "start-only_new": ""},
    )
    assert response.status_code == 303
    batch = db.scalar(select(LetterBatch))
    assert response.headers["Location"].endswith(f"/coordinator/letters/batches/{batch.id}")
    page = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}")
    body = page.get_data(as_text=True)
    assert "Ready to print" in body and "every 2s" not in body
    merged = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}/merged.pdf")
    assert (
        merged.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(merged.data)).pages) == 6
    )
    manifest = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}/manifest.csv")
    text = manifest.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 3
    letter = db.scalar(select(Letter).where(Letter.batch_id == batch.id))
    single = coordinator_client.get(f"/coordinator/letters/files/{letter.id}.pdf")
    assert single.mimetype == "application/pdf"
    listing = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}/letters")
    assert f"/coordinator/letters/files/{letter.id}.pdf" in listing.get_data(as_text=True)

    posted = coordinator_client.post(
        f"/coordinator/letters/batches/{batch.id}/posted", data={"confirm": "yes"}
    )
    assert posted.status_code == 303
    db.expire_all()
    assert db.get(LetterBatch, batch.id).status == "posted"
    assert {c.status for c in people} == {"letter_sent"}
    detail = coordinator_client.get(f"/coordinator/citizens/{people[0].id}").get_data(as_text=True)
    assert f"/coordinator/letters/batches/{batch.id}" in detail
    assert f"/citizen/letters/{people[0].id}/information.pdf" in detail


def test_progress_fragment_polls_until_done_then_stops_with_286(
    coordinator_client, app, db, district, people, letters_config, clock
):
    chosen = scope.Scope(district.id, None, district.name)
    batch = services.create_batch(
        db,
        chosen,
        only_new=False,
        actor=SYSTEM,
        now=NOW,
        directory=app.instance_path + "/letters-test",
    )
    db.commit()
    url = f"/coordinator/letters/batches/{batch.id}"
    page = coordinator_client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert 'hx-trigger="every 2s"' in html and f'hx-get="{url}"' in html
    assert f'href="{url}"' in html  # the refresh link for no JavaScript
    fragment = coordinator_client.get(url, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]

    from portal.letters.batch import run_batch

    run_batch(db, batch.id, config=app.config, keyring=app.extensions["keyring"], clock=lambda: NOW)
    done = coordinator_client.get(url, headers=HX)
    assert done.status_code == 286 and "merged.pdf" in done.get_data(as_text=True)
    assert coordinator_client.get(url).status_code == 200
    assert coordinator_client.get(url, headers={**HX, "HX-Boosted": "true"}).status_code == 200


def test_cancel_and_resume_from_the_page(
    coordinator_client, db, district, people, app, immediate_jobs, letters_config
):
    chosen = scope.Scope(district.id, None, district.name)
    batch = services.create_batch(
        db,
        chosen,
        only_new=False,
        actor=SYSTEM,
        now=NOW,
        directory=app.instance_path + "/letters-test2",
    )
    db.commit()
    url = f"/coordinator/letters/batches/{batch.id}"
    assert coordinator_client.post(url + "/cancel").status_code == 303
    db.expire_all()
    assert db.get(LetterBatch, batch.id).status == "cancelled"
    assert "Resume the batch" in coordinator_client.get(url).get_data(as_text=True)
    assert coordinator_client.post(url + "/resume").status_code == 303
    db.expire_all()
    assert db.get(LetterBatch, batch.id).status == "done"
    again = coordinator_client.post(url + "/cancel", follow_redirects=True)
    assert "not possible" in again.get_data(as_text=True)


def test_citizen_page_offers_their_own_letter(client, db, district, people):
    from tests.helpers import sign_in_citizen

    sign_in_citizen(client, people[0])
    home = client.get("/citizen/").get_data(as_text=True)
    assert f"/citizen/letters/{people[0].id}/information.pdf" in home


def test_reprint_recorded_as_posted(coordinator_client, db, people):
    response = coordinator_client.post(f"/coordinator/citizens/{people[0].id}/letters/posted")
    assert response.status_code == 303
    db.expire_all()
    assert people[0].status == "letter_sent"
    assert [letter.batch_id for letter in services.letters_of(db, people[0].id)] == [None]


def test_rendering_is_rate_limited_per_principal(coordinator_client, app, people, monkeypatch):
    monkeypatch.setattr(services, "information_letter_pdf", lambda *a, **k: b"%PDF-1.7\n")
    monkeypatch.setitem(app.config, "LETTER_RENDER_LIMIT", "2 per minute")
    url = f"/citizen/letters/{people[0].id}/information.pdf"
    assert [coordinator_client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_a_campaign_can_be_chosen_instead_of_a_district(coordinator_client, db, district, people):
    from datetime import date

    wave = make_campaign(
        db, district, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31), name="Wave Nordby"
    )
    db.commit()
    index = coordinator_client.get("/coordinator/letters").get_data(as_text=True)
    assert f'value="campaign:{wave.id}"' in index and "Wave Nordby" in index
    page = coordinator_client.get(f"/coordinator/letters?scope=campaign:{wave.id}")
    assert "3 letters" in page.get_data(as_text=True)
    chosen = scope.scope_from_key(db, f"campaign:{wave.id}")
    assert (chosen.district_id, chosen.campaign_id, chosen.label) == (
        district.id,
        wave.id,
        "Wave Nordby",
    )
