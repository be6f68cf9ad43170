"""GET and HEAD only read (portal.web.safe_methods, portal.connections).

A view opened with GET or HEAD is served on a connection that refuses anything but a SELECT,
unless it says it writes (`writes_on_get`) or writes because it read (`write_after_all`, the
audit of reading a record). On PostgreSQL that connection reads in autocommit, without
BEGIN and ROLLBACK; whatever is written after all is one transaction again.
"""

import pytest
from sqlalchemy import create_engine, func, select, text

from portal import clock
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM, record
from portal.connections import NEVER_BY_COUNT, PREPARED, WriteOnSafeRequest, write_after_all
from portal.directory.models import District
from portal.extensions import db as _db
from portal.web.safe_methods import writes_on_get

NOTED = "test.noted"


def _note():
    record(_db.session, SYSTEM, NOTED, now=clock.now())
    _db.session.commit()
    return "noted"


def _note_after_reading(fail: bool = False):
    _db.session.scalar(select(func.count()).select_from(AuditRecord))
    write_after_all(_db.session)
    record(_db.session, SYSTEM, NOTED, now=clock.now())
    record(_db.session, SYSTEM, NOTED, now=clock.now())
    if fail:
        raise RuntimeError("the request fails after writing")
    _db.session.commit()
    return "noted"


def _flush_a_change():
    _db.session.add(District(name="Written on a GET"))
    _db.session.flush()
    return "flushed"


def _autocommit():
    _db.session.scalar(select(1))
    dbapi_connection = _db.session.connection().connection.dbapi_connection
    prepares = getattr(dbapi_connection, "prepare_threshold", "file")
    return f"{getattr(dbapi_connection, 'autocommit', 'file')} {prepares}"


MARKED, UNMARKED = "SELECT 'marked' AS said", "SELECT 'unmarked' AS said"


def _prepared_here():
    # A marked and an unmarked statement, each twice; then what the server holds prepared
    # on this connection, of the two.
    said = []
    for statement in (MARKED, UNMARKED) * 2:
        options = {PREPARED: True} if statement == MARKED else {}
        said.append(_db.session.scalar(text(statement).execution_options(**options)))
    held = _db.session.scalars(
        text("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%marked%'")
    )
    return {"said": said, "prepared": sorted(held)}


@pytest.fixture
def portal(make_app):
    fresh = make_app()
    fresh.add_url_rule("/_note", "note", _note, methods=["GET", "HEAD", "POST"])
    fresh.add_url_rule("/_marked", "marked", writes_on_get(lambda: _note()))
    fresh.add_url_rule("/_after", "after", _note_after_reading)
    fresh.add_url_rule("/_after_fails", "after_fails", lambda: _note_after_reading(fail=True))
    fresh.add_url_rule("/_autocommit", "autocommit", _autocommit, methods=["GET", "POST"])
    fresh.add_url_rule("/_flush", "flush", _flush_a_change)
    fresh.add_url_rule("/_prepared", "prepared", _prepared_here, methods=["GET", "POST"])
    return fresh


def _noted(app) -> int:
    with app.app_context():
        count = _db.session.scalar(select(func.count()).where(AuditRecord.action == NOTED))
        _db.session.remove()
        return count


def _postgres_only(app):
    with app.app_context():
        if _db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite reads outside a transaction already; only the guard applies")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_view_that_writes_when_opened_is_refused_and_writes_nothing(portal, method, caplog):
    assert portal.test_client().open("/_note", method=method).status_code == 500
    refused = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [type(e) for e in refused] == [WriteOnSafeRequest], refused
    assert "while serving a request that may only read" in str(refused[0])
    assert _noted(portal) == 0


def test_a_change_flushed_on_a_get_is_refused_and_the_app_goes_on(portal):
    # The ORM's flush is refused like any write; the error page and the teardown cope with
    # the session it leaves behind, and the next request is served as ever.
    client = portal.test_client()
    assert client.get("/_flush").status_code == 500
    assert client.get("/_autocommit").status_code == 200
    with portal.app_context():
        assert _db.session.scalar(select(func.count()).select_from(District)) == 0


def test_the_same_view_writes_on_post(portal):
    assert portal.test_client().post("/_note").get_data(as_text=True) == "noted"
    assert _noted(portal) == 1


def test_a_view_that_says_it_writes_on_get_may(portal):
    assert portal.test_client().get("/_marked").status_code == 200
    assert _noted(portal) == 1


def test_what_is_written_after_reading_is_kept_and_is_one_transaction(portal):
    client = portal.test_client()
    assert client.get("/_after_fails").status_code == 500
    assert _noted(portal) == 0  # the first record went with the second: one transaction
    assert client.get("/_after").get_data(as_text=True) == "noted"
    assert _noted(portal) == 2


def test_on_postgresql_a_get_reads_in_autocommit_and_a_post_in_a_transaction(portal):
    # A GET's statements are not prepared by count either: kept across requests, PostgreSQL
    # could run them with a generic plan (portal.connections).
    _postgres_only(portal)
    client = portal.test_client()
    assert client.get("/_autocommit").get_data(as_text=True) == f"True {NEVER_BY_COUNT}"
    assert client.post("/_autocommit").get_data(as_text=True) == "False 5"
    assert client.get("/_autocommit").get_data(as_text=True) == f"True {NEVER_BY_COUNT}"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_statement_marked_prepared_is_prepared_on_postgresql_and_no_other(portal, method):
    # On a GET only the marked statement is prepared; a POST prepares it at its first use
    # too (its own statements by count, after five).
    _postgres_only(portal)
    got = portal.test_client().open("/_prepared", method=method).get_json()
    assert got == {"said": ["marked", "unmarked"] * 2, "prepared": [MARKED]}


def test_a_statement_marked_prepared_runs_as_any_other_on_sqlite(portal):
    with portal.app_context():
        if _db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL: the test above")
    with portal.app_context():
        marked = text(MARKED).execution_options(**{PREPARED: True})
        assert _db.session.scalar(marked) == "marked"


def test_a_pooled_connection_leaves_reading_behind(make_app):
    # One connection in the pool: the POST gets the connection the GET read on.
    one = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    one.add_url_rule("/_note", "note", _note, methods=["POST"])
    one.add_url_rule("/_autocommit", "autocommit", _autocommit)
    with one.app_context():
        if _db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite's file database is not pooled that way")
    client = one.test_client()
    assert client.get("/_autocommit").status_code == 200
    assert client.post("/_note").get_data(as_text=True) == "noted"
    assert _noted(one) == 1
    with one.app_context():
        assert _autocommit() == "False 5"  # outside a request: a transaction, as ever


def test_a_test_may_write_in_its_own_app_context_after_a_get(portal):
    with portal.app_context():
        assert portal.test_client().get("/_autocommit").status_code == 200
        record(_db.session, SYSTEM, NOTED, now=clock.now())
        _db.session.commit()
    assert _noted(portal) == 1


def test_an_autocommit_engine_keeps_autocommit(portal):
    # Only what the portal turned on for reading is turned off again (the bench and test
    # scripts create and drop databases on engines made with AUTOCOMMIT).
    _postgres_only(portal)
    with portal.app_context():
        url = _db.engine.url
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        for _ in range(2):
            with engine.connect() as conn:
                assert conn.connection.dbapi_connection.autocommit is True
    finally:
        engine.dispose()
