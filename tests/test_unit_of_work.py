"""after_commit: work queued in a transaction runs once it commits, never after a rollback."""

from sqlalchemy import text

from portal.unit_of_work import after_commit


def test_work_runs_after_commit_once(db):
    ran = []
    after_commit(db, lambda: ran.append("kick"))
    assert ran == []
    db.commit()
    assert ran == ["kick"]
    db.commit()
    assert ran == ["kick"]


def test_work_is_dropped_on_rollback(db):
    ran = []
    db.execute(text("SELECT 1"))  # a transaction is open, as after a service's flush
    after_commit(db, lambda: ran.append("kick"))
    db.rollback()
    db.commit()
    assert ran == []
