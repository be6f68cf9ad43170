"""The letters page says who is left out and why; recording a batch as posted asks first."""

from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.citizens.lifecycle import CitizenStatus as S
from portal.letters.models import LetterBatch
from tests.factories import make_citizen
from tests.letters.support import make_finished_batch
from tests.letters.test_views import HX


def test_the_preview_counts_who_is_left_out_and_why(coordinator_client, db, district):
    for status in (S.REGISTERED, S.LETTER_SENT, S.BOOKED, S.FITTED, S.FITTED, S.OPTED_OUT):
        make_citizen(db, district=district, status=status)
    db.commit()
    url = f"/coordinator/letters?scope=district:{district.id}"
    page = coordinator_client.get(url).get_data(as_text=True)
    assert "Make 2 letters" in page
    assert "1 citizen has booked a time" in page
    assert "2 citizens have the lock already" in page
    assert "1 citizen has said no to keyless care" in page
    fragment = coordinator_client.get(url + "&only_new=y", headers=HX).get_data(as_text=True)
    assert 'id="letters-left-out"' in fragment and "2 citizens have the lock already" in fragment
    coordinator_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    danish = coordinator_client.get(url).get_data(as_text=True)
    assert "1 borger har bestilt en tid" in danish and "2 borgere har allerede fået låsen" in danish


def test_a_district_where_everyone_has_booked_says_so(coordinator_client, db, district):
    make_citizen(db, district=district, status=S.BOOKED)
    db.commit()
    page = coordinator_client.get(f"/coordinator/letters?scope=district:{district.id}")
    body = page.get_data(as_text=True)
    assert "There are no letters to make for this choice." in body
    assert "1 citizen has booked a time" in body and "Make 1 letter" not in body


def _done_batch(db, district, tmp_path):
    citizen = make_citizen(db, district=district)
    batch, _letter = make_finished_batch(db, citizen, tmp_path / "batch")
    db.commit()
    return citizen, batch


def _unchanged(db, citizen, batch):
    db.expire_all()
    return (
        db.get(LetterBatch, batch.id).status == "done"
        and citizen.status == S.REGISTERED
        and not db.scalar(select(AuditRecord).where(AuditRecord.action == "letters.batch_posted"))
    )


def test_the_batch_page_links_to_the_question(coordinator_client, db, district, tmp_path, clock):
    _citizen, batch = _done_batch(db, district, tmp_path)
    page = coordinator_client.get(f"/coordinator/letters/batches/{batch.id}").get_data(as_text=True)
    url = f"/coordinator/letters/batches/{batch.id}/posted"
    assert f'href="{url}"' in page and f'hx-get="{url}"' in page
    assert f'action="{url}"' not in page  # no form that records with one click


def test_get_asks_and_changes_nothing(coordinator_client, db, district, tmp_path, clock):
    citizen, batch = _done_batch(db, district, tmp_path)
    url = f"/coordinator/letters/batches/{batch.id}/posted"
    page = coordinator_client.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in body
    assert "Record 1 letter as posted on 23 November 2026?" in body
    assert "1 citizen then gets the status" in body
    assert (
        'name="confirm" value="yes"' in body
        and f'href="/coordinator/letters/batches/{batch.id}"' in body
    )
    fragment = coordinator_client.get(url, headers=HX)
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "data-focus-on-load" in text and f'hx-post="{url}"' in text
    assert "HX-Request" in fragment.headers["Vary"]
    assert _unchanged(db, citizen, batch)


def test_post_without_yes_asks_again(coordinator_client, db, district, tmp_path, clock):
    citizen, batch = _done_batch(db, district, tmp_path)
    url = f"/coordinator/letters/batches/{batch.id}/posted"
    for data in ({}, {"confirm": "no"}):
        response = coordinator_client.post(url, data=data)
        assert response.status_code == 200
        assert "Record 1 letter as posted" in response.get_data(as_text=True)
    assert _unchanged(db, citizen, batch)


def test_post_with_yes_records_the_batch_as_posted(
    coordinator_client, db, district, tmp_path, clock
):
    citizen, batch = _done_batch(db, district, tmp_path)
    url = f"/coordinator/letters/batches/{batch.id}/posted"
    response = coordinator_client.post(url, data={"confirm": "yes"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/coordinator/letters/batches/{batch.id}")
    db.expire_all()
    assert db.get(LetterBatch, batch.id).status == "posted" and citizen.status == S.LETTER_SENT
    again = coordinator_client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "not possible" in again  # a posted batch is not asked about again


def test_htmx_yes_navigates_back_to_the_batch(coordinator_client, db, district, tmp_path, clock):
    _citizen, batch = _done_batch(db, district, tmp_path)
    url = f"/coordinator/letters/batches/{batch.id}/posted"
    response = coordinator_client.post(url, data={"confirm": "yes"}, headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"/coordinator/letters/batches/{batch.id}")
    db.expire_all()
    assert db.get(LetterBatch, batch.id).status == "posted"
