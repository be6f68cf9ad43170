"""A letter that takes longer than PDF_RENDER_TIMEOUT to render is stopped: in a batch it
fails with a reason in words and the others are made; a preview says so instead of hanging."""

import os
import time
from pathlib import Path

from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.documents import pool
from portal.documents.pool import render_to_file
from portal.i18n import force_locale
from portal.letters import labels, scope, services
from portal.letters.batch import run_batch
from portal.letters.models import Letter
from portal.privacy.readable import VALUES as PRIVACY_VALUES
from tests.factories import NOW, make_citizen

RUNAWAY = "Rune Runaway"


def _hang(pid_dir: str | None) -> None:
    if pid_dir:
        Path(pid_dir, "runaway.pid").write_text(str(os.getpid()))
    # Stands in for a layout that never ends; bounded, so that code without a limit fails this
    # test (the letter gets made after a minute) instead of hanging the suite.
    time.sleep(60)


def runaway_render_to_file(html, path, css="", *rest):
    """Run in the worker process (pickled by name): hangs on RUNAWAY's letter only."""
    if RUNAWAY in html:
        _hang(os.environ.get("RUNAWAY_PID_DIR"))
    return render_to_file(html, path, css, *rest)


def runaway_render_bytes(html, css="", *rest):
    """Run in the preview's worker process: every letter hangs."""
    _hang(None)
    return pool.render_bytes(html, css, *rest)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_runaway_letter_fails_in_words_and_the_rest_of_the_batch_is_made(
    app, db, district, tmp_path, letters_config, monkeypatch
):
    names = ["Anna Andersen", RUNAWAY, "Carl Carlsen"]
    for i, name in enumerate(names, start=1):
        make_citizen(db, district=district, name=name, address=f"Skovvej {i}")
    db.commit()
    batch = services.create_batch(
        db,
        scope.Scope(district.id, None, district.name),
        only_new=False,
        actor=SYSTEM,
        now=NOW,
        directory=tmp_path / "out",
    )
    db.commit()
    # Long enough for a real letter in a fresh worker on a busy machine, short for a test.
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 5)
    monkeypatch.setenv("RUNAWAY_PID_DIR", str(tmp_path))  # the worker inherits it at spawn
    monkeypatch.setattr(pool, "render_to_file", runaway_render_to_file)

    def run():
        return run_batch(
            db,
            batch.id,
            config=app.config,
            keyring=app.extensions["keyring"],
            processes=1,
            clock=lambda: NOW,
        )

    result = run()
    assert (result.status, result.done, result.failed) == ("done", 2, 1), result.failures
    assert [name for _ref, name, _why in result.failures] == [RUNAWAY]
    letters = db.scalars(select(Letter).where(Letter.batch_id == batch.id)).all()
    failed = next(x for x in letters if x.status == "failed")
    assert failed.error == "render_timeout"
    with force_locale("en"):
        assert "took too long" in labels.reason_text(failed.error)
    with force_locale("da"):
        assert "tog for lang tid" in labels.reason_text(failed.error)
    assert PRIVACY_VALUES[("letter", "error")][failed.error] == labels.REASONS["render_timeout"]
    assert not _alive(int((tmp_path / "runaway.pid").read_text()))  # stopped, not left running

    out = Path(batch.directory)
    made = {
        x.filename: (x.sha256, (out / x.filename).read_bytes())
        for x in letters
        if x.status == "done"
    }
    monkeypatch.setattr(pool, "render_to_file", render_to_file)
    services.resume_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    again = run()
    assert (again.status, again.done, again.failed) == ("done", 3, 0)
    for filename, (sha, data) in made.items():  # the letters that rendered are untouched
        assert (out / filename).read_bytes() == data
        assert db.scalar(select(Letter.sha256).where(Letter.filename == filename)) == sha


def test_a_runaway_preview_says_so_and_the_next_preview_works(
    app, db, district, coordinator_client, monkeypatch
):
    citizen = make_citizen(db, district=district)
    db.commit()
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 1)
    real = pool.render_bytes
    monkeypatch.setattr(pool, "render_bytes", runaway_render_bytes)
    response = coordinator_client.get(f"/coordinator/letters/preview/{citizen.id}.pdf")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "took longer than 1 second, so it was stopped" in page
    monkeypatch.setattr(pool, "render_bytes", real)
    # a real letter meets this limit even on a busy machine
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 120)
    response = coordinator_client.get(f"/coordinator/letters/preview/{citizen.id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
