"""Rate limiting fails safe when Redis is down: the limits go on being counted in the
process's memory (the same limits), so a sign-in is neither refused with an error nor let
through without a count. Redis is "down" here as an address where nothing listens."""

import pytest

from portal import create_app
from portal.extensions import limiter
from tests.conftest import make_test_config, reset_limiter
from tests.factories import make_user

DOWN = "redis://127.0.0.1:1/5"  # port 1: connection refused


def _without_redis(app, instance):
    return create_app(
        make_test_config(
            app.config["SQLALCHEMY_DATABASE_URI"],
            str(instance),
            RATELIMIT_STORAGE_URI=DOWN,
            STAFF_SIGNIN_LIMIT="3 per 15 minutes",
        )
    )


def _give_back(app):
    limiter.init_app(app)  # one limiter object serves every app: give the suite's back
    with app.app_context():
        reset_limiter()  # and take it off the fallback (see tests.conftest.reset_limiter)


@pytest.fixture
def app_without_redis(app, tmp_path):
    yield _without_redis(app, tmp_path / "instance")
    _give_back(app)


def test_sign_in_limit_still_counts_when_redis_is_down(app_without_redis, db, caplog):
    user = make_user(db, "coordinator")
    db.commit()
    client = app_without_redis.test_client()
    wrong = {"email": user.email, "password": "not the password"}
    answers = [client.post("/sign-in/staff", data=wrong).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # never a 500, and the fourth is refused
    assert client.get("/healthz").status_code == 200


def test_the_suite_app_counts_on_its_own_storage_afterwards(app, db, tmp_path):
    """The fallback must not outlive the app that needed it: a later test's counts would be
    lost when Flask-Limiter's recovery check switched storage back in its middle."""
    user = make_user(db, "coordinator")
    db.commit()
    wrong = {"email": user.email, "password": "not the password"}
    down = _without_redis(app, tmp_path / "instance")
    assert down.test_client().post("/sign-in/staff", data=wrong).status_code == 200
    _give_back(app)

    def remaining():
        response = app.test_client().post("/sign-in/staff", data=wrong)
        return int(response.headers["X-RateLimit-Remaining"])

    first = remaining()
    with app.app_context():
        limiter.reset()  # clears the limiter's own storage, not a fallback's
    assert remaining() == first
