"""The Alembic migrations build exactly the schema the models describe, on this database."""

import os
import uuid
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from portal import create_app
from portal.extensions import db
from tests.conftest import make_test_config


@pytest.fixture
def empty_database(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _modelled(name, type_, parent_names) -> bool:
    # The register's search index is not the models' (portal.citizens.search): SQLite's FTS5
    # table with its shadow tables, PostgreSQL's expression index; the search tests check it.
    return not (
        type_ in ("table", "index")
        and (name or "").startswith(("citizen_search", "ix_citizen_search"))
    )


def test_upgrade_matches_models_and_downgrades(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn, warnings.catch_warnings():
            # SQLAlchemy cannot reflect SQLite's expression index of the register search.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection.*ix_citizen_search")
            context = MigrationContext.configure(conn, opts={"include_name": _modelled})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
        assert set(tables) <= {"alembic_version"}
        db.engine.dispose()


CITIZEN_0001 = text(
    "INSERT INTO citizen (id, external_id, national_id_enc, national_id_index,"
    " national_id_masked, name, date_of_birth, address, postcode, city,"
    " language, district_id, provider_id, emergency_alarm, status,"
    " letter_code_enc, letter_code_index, code_failures, session_version,"
    " created_at, updated_at) VALUES (:n, :ext, 'x', :idx, 'x', 'Navn',"
    " '1940-01-01', 'Vej 1', '4100', 'By', 'da', 1, 1, false, :status, 'x',"
    " :code, 0, 1, '2026-05-04 10:00:00+00:00', '2026-05-04 10:00:00+00:00')"
)


def _seed_0001(conn, statuses) -> None:
    """A district, a provider and one citizen per status, as revision 0001 stored them."""
    conn.execute(text("INSERT INTO district (id, name) VALUES (1, 'Nord')"))
    conn.execute(text("INSERT INTO provider (id, name, kind) VALUES (1, 'Pleje', 'private')"))
    for n, status in enumerate(statuses, start=1):
        conn.execute(
            CITIZEN_0001,
            {"n": n, "ext": f"E{n}", "idx": f"i{n}", "code": f"c{n}", "status": status},
        )


def test_0002_moves_providers_into_assignments_and_inactive_to_care_ended(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ("inactive", "fitted"))
        upgrade()
        with db.engine.begin() as conn:
            rows = conn.execute(
                text("SELECT citizen_id, provider_id, effective_from FROM provider_assignment")
            ).all()
            statuses = dict(conn.execute(text("SELECT id, status FROM citizen")).all())
        assert sorted((r[0], r[1], str(r[2])) for r in rows) == [
            (1, 1, "2026-05-04"),
            (2, 1, "2026-05-04"),
        ]
        assert statuses == {1: "care_ended", 2: "fitted"}
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE citizen SET status = 'inactive' WHERE id = 2"))
        downgrade(revision="0001")
        with db.engine.begin() as conn:
            back = conn.execute(text("SELECT id, provider_id, status FROM citizen")).all()
        assert sorted(back) == [(1, 1, "inactive"), (2, 1, "fitted")]
        db.engine.dispose()


def test_0003_turns_battery_jobs_into_locksmith_jobs(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ("fitted",))
            conn.execute(
                text(
                    "INSERT INTO lock_unit (id, lock_id, serial, kind, public_key_pem, citizen_id,"
                    " active, installed_at) VALUES (1, 7, 'S-7', 'door', 'pem', 1, true,"
                    " '2026-05-05 10:00:00+00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO battery_job (lock_unit_id, battery, status, opened_at)"
                    " VALUES (1, 12, 'open', '2026-06-01 08:00:00+00:00')"
                )
            )
        upgrade()
        with db.engine.begin() as conn:
            jobs = conn.execute(
                text("SELECT kind, status, address, lock_unit_id, instructions FROM job")
            ).all()
        assert [tuple(j) for j in jobs] == [
            ("battery", "open", "Vej 1, 4100 By", 1, "Battery 12 %")
        ]
        downgrade(revision="0002")
        db.engine.dispose()


def test_0004_keeps_properties_and_entrances_and_checks_their_values(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ("fitted",))
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO owner_organisation (id, name) VALUES (1, 'Bolig')"))
            conn.execute(
                text(
                    "INSERT INTO property (id, owner_id, name, address, postcode, city,"
                    " district_id) VALUES (1, 1, 'Blok', 'Vej 1', '4100', 'By', 1)"
                )
            )
            conn.execute(text("UPDATE citizen SET property_id = 1"))
            conn.execute(
                text(
                    "INSERT INTO entrance (id, property_id, label, kind, consent_status) VALUES"
                    " (1, 1, 'A', 'gate', 'withdrawn'), (2, 1, 'B', 'hatch', 'maybe')"
                )
            )
        upgrade()
        with db.engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, kind, consent_status, door_phone, electric_strike, version"
                    " FROM entrance ORDER BY id"
                )
            ).all()
            org = conn.execute(text("SELECT name, language FROM owner_organisation")).one()
            linked = conn.execute(text("SELECT property_id FROM citizen")).scalar()
        assert [tuple(r) for r in rows] == [
            (1, "gate", "withdrawn", "unknown", False, 1),
            (2, "street_door", "not_requested", "unknown", False, 1),
        ]
        assert tuple(org) == ("Bolig", "da") and linked == 1
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE entrance SET consent_status = 'perhaps' WHERE id = 1"))
        downgrade(revision="0003")
        with db.engine.begin() as conn:
            back = conn.execute(text("SELECT id, kind FROM entrance ORDER BY id")).all()
        assert [tuple(r) for r in back] == [(1, "gate"), (2, "street_door")]
        db.engine.dispose()


def test_0008_gives_lock_units_an_inventory_state(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            for n, active in ((1, "true"), (2, "false")):
                conn.execute(
                    text(
                        "INSERT INTO lock_unit (id, lock_id, serial, kind, public_key_pem,"
                        f" active, installed_at) VALUES ({n}, {n + 6}, 'S-{n}', 'door', 'pem',"
                        f" {active}, '2026-05-05 10:00:00+00:00')"
                    )
                )
        upgrade(revision="0008_fieldwork")
        with db.engine.begin() as conn:
            states = dict(conn.execute(text("SELECT id, state FROM lock_unit")).all())
        assert states == {1: "fitted", 2: "removed"}
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE lock_unit SET state = 'lost' WHERE id = 1"))
        downgrade(revision="0003")
        db.engine.dispose()


def test_0017_files_earlier_visits_under_todays_district_and_provider(empty_database, tmp_path):
    from tests.reports.support import make_visit_world

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade()
        world = make_visit_world(db.session)
        expected = {
            v.id: (v.district_id, v.provider_id) for v in world.visits.values() if v.staff_id
        }
        db.session.commit()
        downgrade(revision="0016_careapi")
        upgrade(revision="0017_visit_scope")
        with db.engine.begin() as conn:
            found = conn.execute(text("SELECT id, district_id, provider_id FROM visit")).all()
        assert {i: (d, p) for i, d, p in found} == expected
        assert len(set(expected.values())) == 2 and None not in {d for d, _ in expected.values()}
        db.session.remove()
        db.engine.dispose()


def test_the_migrated_register_search_keeps_in_step_with_the_citizens(empty_database, tmp_path):
    """After every migration the search index still follows inserts, renames and deletes.

    On SQLite it is kept by triggers, which a table rebuild (Alembic's batch mode) drops; the
    register then counts and finds citizens from a stale index. A later migration that rebuilds
    `citizen` must install the search again (`portal.citizens.search.install`)."""
    from sqlalchemy import delete, select

    from portal import clock as app_clock
    from portal.citizens.models import Citizen
    from portal.citizens.queries import matching
    from portal.directory.models import ProviderAssignment
    from tests.factories import NOW, make_citizen

    def found(word: str) -> list[str]:
        return list(db.session.scalars(select(Citizen.name).where(matching(word))))

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    app_clock.install(app, app_clock.SetClock(NOW))  # the factories' moment, for the app too
    with app.app_context():
        upgrade()
        if db.engine.dialect.name == "sqlite":  # the walk of a broad search (0018_search_walk)
            sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_citizen_search_walk'"
            created = db.session.execute(text(sql)).scalar()
            assert created and "search_doc" in created  # the folded document (0021)
        citizen = make_citizen(db.session, name="Ingeborg Quistgaard")
        db.session.commit()
        assert found("quist") == ["Ingeborg Quistgaard"]
        citizen.name = "Ingeborg Rasmussen"
        db.session.commit()
        assert (found("quist"), found("rasmus")) == ([], ["Ingeborg Rasmussen"])
        db.session.execute(
            delete(ProviderAssignment).where(ProviderAssignment.citizen_id == citizen.id)
        )
        db.session.delete(citizen)
        db.session.flush()
        assert found("rasmus") == []
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def test_0019_writes_earlier_follow_ups_on_their_jobs(empty_database, tmp_path):
    from sqlalchemy import select

    from portal import clock as app_clock
    from portal.audit.models import AuditRecord
    from portal.audit.services import Actor
    from portal.locksmith import follow_up
    from portal.locksmith.models import Job, JobKind
    from tests.factories import NOW, make_user
    from tests.locksmith.follow_up_support import failed_jobs

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    app_clock.install(app, app_clock.SetClock(NOW))
    with app.app_context():
        upgrade()
        place = failed_jobs(db.session, kinds=(JobKind.BATTERY, JobKind.REPAIR))
        user = make_user(db.session, "coordinator")
        actor = Actor("user", user.id, user.name)
        follow_up.mark_handled(db.session, place.jobs["repair"], now=NOW, actor=actor)
        db.session.commit()
        audit = db.session.scalar(
            select(AuditRecord).where(AuditRecord.action == "job_followed_up")
        )
        ids = {kind: job.id for kind, job in place.jobs.items()}
        db.session.remove()
        downgrade(revision="0018_search_walk")
        upgrade(revision="0019_job_followed_up")
        battery, repair = (db.session.get(Job, ids[kind]) for kind in ("battery", "repair"))
        assert (battery.followed_up_at, battery.followed_up_by) == (None, None)
        assert (repair.followed_up_at, repair.followed_up_by) == (NOW, actor.describe())
        assert repair.followed_up_by == audit.actor and repair.followed_up_at == audit.at
        db.session.remove()
        db.engine.dispose()


def test_0021_writes_who_answered_a_change_question_and_when(empty_database, tmp_path):
    from datetime import timedelta

    from portal import clock as app_clock
    from portal.audit.services import Actor
    from portal.changes import decisions, services
    from portal.changes.models import ChangeRequest
    from tests.changes.support import COORDINATOR, fitted_citizen, make_town, on, policy
    from tests.factories import NOW

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    app_clock.install(app, app_clock.SetClock(NOW))
    with app.app_context():
        upgrade()
        town = make_town(db.session)
        asker, quiet = fitted_citizen(db.session, town), fitted_citizen(db.session, town)
        relative = Actor("relative", 7, "Rita Relativ", on_behalf_of=f"citizen:{asker.id}")
        ids = []
        for citizen in (asker, quiet):
            req = services.submit(
                db.session,
                citizen,
                "switch",
                on("2026-12-01", provider_id=town.omsorg.id),
                source="relative",
                now=NOW,
                actor=relative,
                policy=policy(app),
            )
            decisions.ask(db.session, req, "Which floor?", now=NOW, actor=COORDINATOR)
            ids.append(req.id)
        answered = db.session.get(ChangeRequest, ids[0])
        later = NOW + timedelta(minutes=5)
        decisions.answer(db.session, answered, "First", now=NOW, actor=relative)
        decisions.ask(db.session, answered, "And?", now=NOW, actor=COORDINATOR)
        decisions.answer(db.session, answered, "Second", now=later, actor=relative)
        db.session.commit()
        db.session.remove()
        downgrade(revision="0020_revocation_lifted")
        upgrade(revision="0021_change_answered")
        upgrade()  # the model has later columns (0025); the later revisions keep these two
        done, waiting = (db.session.get(ChangeRequest, i) for i in ids)
        assert (done.answered_at, done.answered_by) == (later, relative.describe())
        assert (waiting.answered_at, waiting.answered_by) == (None, None)
        db.session.remove()
        db.engine.dispose()


def test_0023_indexes_the_date_of_birth_and_takes_it_back(empty_database, tmp_path):
    def indexes() -> set[str]:
        with db.engine.connect() as conn:
            return {ix["name"] for ix in inspect(conn).get_indexes("citizen")}

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0023_birth_date_search")
        assert "ix_citizen_date_of_birth" in indexes()
        downgrade(revision="0022_key_hand_back")
        assert "ix_citizen_date_of_birth" not in indexes()
        if db.engine.dialect.name == "sqlite":  # no table rebuild: the search triggers stay
            sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?"
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql(sql, ("citizen_search_%",)).scalar() == 3
        upgrade()
        assert "ix_citizen_date_of_birth" in indexes()
        db.engine.dispose()


def test_0024_folds_the_search_documents_of_citizens_there_before(empty_database, tmp_path):
    from sqlalchemy import select

    from portal.citizens.models import Citizen
    from portal.citizens.queries import matching

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ["registered"])
            conn.execute(text("UPDATE citizen SET name = 'Åge Sørensen' WHERE id = 1"))
        upgrade(revision="0023_birth_date_search")
        upgrade(revision="0024_folded_search")

        def found(word: str) -> list[str]:
            return list(db.session.scalars(select(Citizen.name).where(matching(word))))

        assert found("aage") == found("sorensen") == found("SÖRENSEN") == ["Åge Sørensen"]
        db.session.remove()
        downgrade(revision="0023_birth_date_search")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("citizen")}
            assert "search_doc" not in columns
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE citizen SET name = 'Bo Quist Ørsted' WHERE id = 1"))
            if db.engine.dialect.name == "sqlite":  # the search as 0018 left it, in step
                hits = "SELECT rowid FROM citizen_search WHERE citizen_search MATCH '\"quist\"'"
                assert conn.execute(text(hits)).all() == [(1,)]
        upgrade()
        assert found("orsted") == found("quist") == ["Bo Quist Ørsted"]
        db.session.remove()
        db.engine.dispose()


def test_0026_writes_every_spelling_into_the_search_documents_there_before(
    empty_database, tmp_path
):
    from sqlalchemy import select

    from portal.citizens.models import Citizen
    from portal.citizens.queries import matching

    app = create_app(make_test_config(empty_database, str(tmp_path)))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ["registered"])
            conn.execute(text("UPDATE citizen SET name = 'Märta Sørensen' WHERE id = 1"))
        upgrade(revision="0024_folded_search")

        def found(word: str) -> list[str]:
            return list(db.session.scalars(select(Citizen.name).where(matching(word))))

        def document() -> list[str]:
            with db.engine.connect() as conn:
                sql = "SELECT search_doc FROM citizen WHERE id = 1"
                return conn.execute(text(sql)).scalar().split("\n")

        assert document()[0] == "maerta sorensen"  # as 0024 folded it
        assert found("marta") == []
        db.session.remove()
        upgrade(revision="0026_search_spellings")
        assert document()[0] == "marta sorensen"
        assert found("marta") == found("soerensen") == found("maerta") == ["Märta Sørensen"]
        db.session.remove()
        downgrade(revision="0024_folded_search")
        assert document()[0] == "maerta sorensen"  # 0024's folding again
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "sqlite":  # the full-text index followed it
                hits = "SELECT rowid FROM citizen_search WHERE citizen_search MATCH '\"maerta\"'"
                assert conn.execute(text(hits)).all() == [(1,)]
        upgrade()
        assert found("marta") == found("soerensen") == ["Märta Sørensen"]
        db.session.remove()
        db.engine.dispose()


def test_0027_gives_cancelled_changes_their_own_status_and_takes_it_back(empty_database, tmp_path):
    app = create_app(make_test_config(empty_database, str(tmp_path)))
    insert = text(
        "INSERT INTO change_request (id, reference, citizen_id, kind, status, source, "
        "requested_by, effective_on, created_at, refusal_reason) VALUES (:id, :ref, 1, "
        "'switch', :status, 'citizen', 'citizen:1', '2026-12-01', '2026-11-23 09:00:00', :why)"
    )

    def statuses() -> dict:
        with db.engine.connect() as conn:
            return dict(conn.execute(text("SELECT id, status FROM change_request")).all())

    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            _seed_0001(conn, ["fitted"])
        upgrade(revision="0026_search_spellings")
        with db.engine.begin() as conn:
            # Cancelled by a coordinator (with a reason), and withdrawn by the citizen.
            conn.execute(insert, {"id": 1, "ref": "AAA-AAA", "status": "withdrawn", "why": "No"})
            conn.execute(insert, {"id": 2, "ref": "BBB-BBB", "status": "withdrawn", "why": None})
        upgrade(revision="0027_change_cancelled")
        assert statuses() == {1: "cancelled", 2: "withdrawn"}
        downgrade(revision="0026_search_spellings")
        assert statuses() == {1: "withdrawn", 2: "withdrawn"}
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE change_request SET status = 'cancelled' WHERE id = 1"))
        upgrade()
        assert statuses() == {1: "cancelled", 2: "withdrawn"}
        db.engine.dispose()
