"""Rate limiting fails safe when Redis is down: the limits go on being counted in the
process's memory (the same limits), so a sign-in is neither refused with an error nor let
through without a count. Redis is "down" here as an address where nothing listens."""

import pytest

from portal import create_app
from portal.extensions import limiter
from tests.conftest import make_test_config
from tests.factories import make_user

DOWN = "redis://127.0.0.1:1/5"  # port 1: connection refused


@pytest.fixture
def app_without_redis(app, tmp_path):
    other = create_app(
        make_test_config(
            app.config["SQLALCHEMY_DATABASE_URI"],
            str(tmp_path / "instance"),
            RATELIMIT_STORAGE_URI=DOWN,
            STAFF_SIGNIN_LIMIT="3 per 15 minutes",
        )
    )
    yield other
    limiter.init_app(app)  # one limiter object serves every app: give the suite's back


def test_sign_in_limit_still_counts_when_redis_is_down(app_without_redis, db, caplog):
    user = make_user(db, "coordinator")
    db.commit()
    client = app_without_redis.test_client()
    wrong = {"email": user.email, "password": "not the password"}
    answers = [client.post("/sign-in/staff", data=wrong).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # never a 500, and the fourth is refused
    assert client.get("/healthz").status_code == 200
