"""The locksmith's pages for relocation and removal jobs, and the coordinator's view of them."""

from sqlalchemy import select

from portal.locksmith.models import Job, JobStatus
from portal.locksmith.models_photos import JobPhoto
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.locksmith.change_support import fitted, jpeg, leave, planned_today, relocate


def _files(data, photo, name="dør.jpg"):
    import io

    return {**data, "photo": (io.BytesIO(photo), name)}


def test_my_day_shows_the_relocation_and_its_own_checklist(db, client):
    citizen, _unit = fitted(db, address="Gammelvej 1")
    job = relocate(db, citizen, "Nyvej 5")
    smith = planned_today(db, job)
    sign_in_staff(client, smith)
    day = client.get("/locksmith/").get_data(as_text=True)
    assert "Gammelvej 1" in day and "Nyvej 5" in day
    assert client.get(f"/locksmith/jobs/{job.id}/complete").location.endswith(
        f"/locksmith/jobs/{job.id}/restore"
    )
    page = client.get(f"/locksmith/jobs/{job.id}/restore").get_data(as_text=True)
    for point in ("door_restored", "parts_returned", "unit_fitted", "turns_both_ways"):
        assert f'value="{point}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_relocation_with_missing_points_and_a_bad_photo_comes_back_filled_in(db, client):
    citizen, _unit = fitted(db)
    job = relocate(db, citizen)
    sign_in_staff(client, planned_today(db, job))
    url = f"/locksmith/jobs/{job.id}/restore"
    data = {"checklist": ["door_restored"], "parts_stored": "home", "note": "Bemærkning <b>"}
    missing = client.post(url, data=data).get_data(as_text=True)
    assert "aria-invalid" in missing or "form-error" in missing
    assert (
        "Bemærkning &lt;b&gt;" in missing and 'value="home" class="form-radio" checked' in missing
    )
    full = {
        **data,
        "checklist": ["door_restored", "parts_returned", "unit_fitted", "turns_both_ways"],
    }
    bad = client.post(url, data=_files(full, b"<html>not a photo</html>", "x.jpg"))
    assert bad.status_code == 200 and "form-error" in bad.get_data(as_text=True)
    hostile = client.post(url, data={**full, "checklist": [*full["checklist"], "<script>"]})
    assert hostile.status_code == 200
    no_parts = client.post(url, data={**full, "parts_stored": ""})
    assert no_parts.status_code == 200
    db.expire_all()
    assert db.get(Job, job.id).is_open
    done = client.post(url, data=_files(full, jpeg()))
    assert done.status_code == 303
    db.expire_all()
    assert db.get(Job, job.id).status == JobStatus.DONE
    assert db.scalar(select(JobPhoto.job_id)) == job.id
    assert client.get(url).status_code == 303  # already reported


def test_a_removal_with_keys_needs_a_name_and_the_coordinator_sees_it_all(db, client):
    citizen, unit = fitted(db)
    job = leave(db, citizen, "deceased", estate_contact="Kim Boet, 20 30 40 50")
    smith = planned_today(db, job)
    sign_in_staff(client, smith)
    page = client.get(f"/locksmith/jobs/{job.id}/restore").get_data(as_text=True)
    assert "Kim Boet, 20 30 40 50" in page and 'value="keys_returned"' not in page
    url = f"/locksmith/jobs/{job.id}/restore"
    data = {"checklist": ["door_restored", "parts_returned"], "signed_by": "x" * 201}
    assert client.post(url, data=data).status_code == 200  # the name is too long
    data["signed_by"] = ""
    assert client.post(url, data=_files(data, jpeg())).status_code == 303
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    detail = client.get(f"/coordinator/jobs/{job.id}").get_data(as_text=True)
    assert f"/coordinator/jobs/{job.id}/photo" in detail and "Kim Boet" in detail
    photo = client.get(f"/coordinator/jobs/{job.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/coordinator/jobs/999999/photo").status_code == 404


def test_other_locksmiths_and_other_kinds_get_404(db, client):
    citizen, _unit = fitted(db)
    job = leave(db, citizen)
    planned_today(db, job)
    stranger = make_user(db, "locksmith")
    db.commit()
    sign_in_staff(client, stranger)
    assert client.get(f"/locksmith/jobs/{job.id}/restore").status_code == 404
    assert client.post(f"/locksmith/jobs/{job.id}/restore").status_code == 404
    assert client.get("/locksmith/jobs/999999/restore").status_code == 404
    assert client.get(f"/coordinator/jobs/{job.id}/photo").status_code == 403
