"""The disk fills up while letters are written: the batch stops with a clear (translated)
message, no half-written file is kept or marked done, and it goes on when space is back.

Two ways: ENOSPC raised from the fsync that forces a letter's bytes out (any machine), and a
real file system that fills up (a tmpfs of a few pages, mounted for the test; mounting needs
root, which CI has), where the kernel refuses the write itself."""

import errno
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.documents import files
from portal.letters import catchup
from portal.letters.batch import DiskFull, run_batch
from portal.letters.models import Letter
from tests.factories import NOW, make_user
from tests.faults.support import district_with_citizens, queued_batch
from tests.helpers import sign_in_staff

REAL_FSYNC = os.fsync


def _fill_the_disk_after(monkeypatch, files_written: int, *, only=""):
    """From the (files_written + 1)th fsync of a file whose name contains `only`: ENOSPC."""
    count = {"n": 0}

    def fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""
        if only in name:
            count["n"] += 1
            if count["n"] > files_written:
                raise OSError(errno.ENOSPC, "No space left on device")
        return REAL_FSYNC(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)


@pytest.fixture
def batch(db, tmp_path):
    chosen = district_with_citizens(db, "Østby", 5)
    return queued_batch(db, chosen, tmp_path / "out", NOW)


def _run(app, db, batch_id):
    return run_batch(
        db,
        batch_id,
        config=app.config,
        keyring=app.extensions["keyring"],
        processes=0,
        clock=lambda: NOW,
    )


def _statuses(db, batch_id) -> list[str]:
    db.expire_all()
    return list(
        db.scalars(select(Letter.status).where(Letter.batch_id == batch_id).order_by(Letter.id))
    )


def _stops_after_two_letters(app, db, batch):
    """The run stops on the full disk: two letters done, the rest pending, nothing else kept."""
    with pytest.raises(DiskFull):
        _run(app, db, batch.id)
    db.expire_all()
    assert (batch.status, batch.note, batch.run_token) == ("interrupted", "disk-full", None)
    assert _statuses(db, batch.id) == ["done", "done", "pending", "pending", "pending"]
    done = {letter.filename for letter in batch.letters if letter.status == "done"}
    # No half-written letter, no temp file.
    assert {p.name for p in Path(batch.directory).iterdir()} == done


def test_a_full_disk_stops_the_batch_and_it_goes_on_when_space_is_back(
    app, db, batch, monkeypatch, client
):
    out = Path(batch.directory)
    _fill_the_disk_after(monkeypatch, 2, only=".pdf.")
    _stops_after_two_letters(app, db, batch)
    assert not (out / "merged.pdf").exists()

    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    page = client.get(
        f"/coordinator/letters/batches/{batch.id}", headers={"Accept-Language": "da"}
    ).get_data(as_text=True)
    assert "disken, hvor brevene gemmes, er fuld" in page

    # Still full: the sweep leaves it alone (it would only fail again).
    app.config["LETTER_MIN_FREE_BYTES"] = 1 << 62
    try:
        assert catchup.sweep(db, now=NOW, config=app.config, enqueue=list().append) == []
    finally:
        app.config.pop("LETTER_MIN_FREE_BYTES")
    monkeypatch.setattr(files.os, "fsync", REAL_FSYNC)  # space is back
    queued = []
    assert catchup.sweep(db, now=NOW, config=app.config, enqueue=queued.append) == [batch.id]
    result = _run(app, db, queued[0])
    assert (result.status, result.done, result.failed) == ("done", 5, 0)
    assert (out / "merged.pdf").is_file() and (out / "manifest.csv").is_file()


def test_a_full_disk_while_merging_keeps_the_batch_from_being_done(app, db, batch, monkeypatch):
    out = Path(batch.directory)
    _fill_the_disk_after(monkeypatch, 0, only="merged")
    with pytest.raises(OSError):
        _run(app, db, batch.id)
    db.expire_all()
    assert (batch.status, batch.note) == ("interrupted", "disk-full")
    assert _statuses(db, batch.id) == ["done"] * 5
    assert not (out / "merged.pdf").exists() and not list(out.glob(".*.tmp"))
    monkeypatch.setattr(files.os, "fsync", REAL_FSYNC)
    assert catchup.sweep(db, now=NOW, config=app.config, enqueue=list().append) == [batch.id]
    assert _run(app, db, batch.id).status == "done"
    assert (out / "merged.pdf").is_file()


PAGE = 4096


def _mount_tmpfs(where: Path, size: int, *, remount=False) -> bool:
    options = f"{'remount,' if remount else ''}size={size}"
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)]
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real, tiny file system (tmpfs) to fill up; unmounted afterwards."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or not _mount_tmpfs(where, 16 * PAGE):
        reason = "mounting a tmpfs needs root and the right to mount"
        if os.environ.get("PORTAL_REQUIRE_MOUNT"):  # set by .ci/run: CI must run it
            pytest.fail(f"{reason}, and PORTAL_REQUIRE_MOUNT is set")
        pytest.skip(reason)
    yield where
    subprocess.run(["umount", str(where)], check=True, capture_output=True)


def _pages(path: Path) -> int:
    return -(-path.stat().st_size // PAGE)


def test_a_really_full_file_system_stops_the_batch_and_it_resumes_the_same(
    app, db, clock, tmp_path, small_disk
):
    chosen = district_with_citizens(db, "Nordby", 5)
    # The uninterrupted run, on a roomy disk: the letters' sizes, and the files to match.
    whole = queued_batch(db, chosen, tmp_path / "whole", NOW)
    assert _run(app, db, whole.id).status == "done"
    sizes = [_pages(Path(whole.directory) / letter.filename) for letter in whole.letters]
    assert sizes[2] > 1
    # Room for the first two letters and one page more: the third letter's write fails.
    assert _mount_tmpfs(small_disk, (sizes[0] + sizes[1] + 1) * PAGE, remount=True)
    batch = queued_batch(db, chosen, small_disk / "out", NOW)
    out = Path(batch.directory)
    _stops_after_two_letters(app, db, batch)

    app.config["LETTER_MIN_FREE_BYTES"] = 64 * PAGE
    try:  # still full: the sweep leaves it alone
        assert catchup.sweep(db, now=NOW, config=app.config, enqueue=list().append) == []
        assert _mount_tmpfs(small_disk, 4096 * PAGE, remount=True)  # space is back
        queued = []
        assert catchup.sweep(db, now=NOW, config=app.config, enqueue=queued.append) == [batch.id]
    finally:
        app.config.pop("LETTER_MIN_FREE_BYTES")
    result = _run(app, db, queued[0])
    assert (result.status, result.done, result.failed) == ("done", 5, 0)
    for name in ("merged.pdf", "manifest.csv"):
        assert (out / name).read_bytes() == (Path(whole.directory) / name).read_bytes()
