"""Many PDFs asked for at once (a pool-exhaustion attack, or a busy morning): each web process
has one PDF worker, and a request waits for it at most one more limit. Past that its document
is taken out of the queue (or its worker stopped) and the request gets the time-limit page, so a
crowd of requests never holds the web threads for limit x crowd, and documents nobody waits for
any more are not laid out."""

import threading

from portal.documents import pool
from portal.documents.pool import TaskTimeout
from tests.documents import slow

CROWD = 8


def test_a_crowd_of_runaway_pdfs_is_not_laid_out_one_after_another(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "render_bytes", slow.note_then_hang)
    marker = tmp_path / "started"
    outcomes = []

    def ask():
        try:
            pool.render_within(str(marker), timeout=1)
        except TaskTimeout:
            outcomes.append("stopped")
        else:
            outcomes.append("made")

    crowd = [threading.Thread(target=ask) for _ in range(CROWD)]
    for thread in crowd:
        thread.start()
    for thread in crowd:
        thread.join(timeout=120)
    assert outcomes == ["stopped"] * CROWD
    # Without a bound on the wait, each of the eight was taken up in turn and ran its full
    # second (eight seconds for the last one's request); with it, those still queued after
    # two limits are dropped unstarted. A slower machine starts fewer, never more.
    started = marker.read_text().count("started")
    assert 1 <= started <= CROWD // 2
    # The worker stopped under a cancelled document is replaced: the next task is done (asked
    # without the wait's bound, as starting a worker on a busy machine may take seconds).
    after = pool._shared_pool(1.0).submit(slow.quick, "next", "", "")
    assert after.result(timeout=60) == b"%PDF-next"
