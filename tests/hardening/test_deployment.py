"""Behind a proxy, across processes: client address, shared rate limits, HSTS, a warning."""

import logging

from flask import Flask, request

from portal.factory import _load_config
from tests.conftest import make_test_config
from tests.web import support

make_app = support.make_app  # fixture


def _config(tmp_path, **extra):
    config = make_test_config("sqlite://", str(tmp_path), **extra)
    config.pop("RATELIMIT_STORAGE_URI")
    return config


def test_redis_url_from_any_config_source_holds_the_rate_limits(tmp_path):
    app = Flask(__name__, instance_path=str(tmp_path))
    _load_config(app, _config(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/9"
    plain = Flask(__name__, instance_path=str(tmp_path))
    _load_config(plain, _config(tmp_path))
    assert plain.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_start_up_warns_when_limits_are_counted_per_process(make_app, caplog):
    caplog.set_level(logging.WARNING, logger="portal.production")
    make_app()
    assert "counted inside this process only" in caplog.text


def _addr_app(make_app, **extra):
    fresh = make_app(**extra)
    fresh.add_url_rule("/_addr", "addr", lambda: f"{request.remote_addr} {request.scheme}")
    return fresh


def test_trusted_proxies_give_the_real_client_address(make_app):
    headers = {"X-Forwarded-For": "203.0.113.7, 198.51.100.2", "X-Forwarded-Proto": "https"}
    direct = _addr_app(make_app).test_client()
    assert direct.get("/_addr", headers=headers).text == "127.0.0.1 http"
    one = _addr_app(make_app, TRUSTED_PROXIES=1).test_client()
    assert one.get("/_addr", headers=headers).text == "198.51.100.2 https"
    two = _addr_app(make_app, TRUSTED_PROXIES=2).test_client()
    headers["X-Forwarded-Proto"] = "https, https"
    assert two.get("/_addr", headers=headers).text == "203.0.113.7 https"


def test_a_proxy_nobody_trusts_is_named_in_the_log_once(make_app, caplog):
    # With TRUSTED_PROXIES 0 behind a proxy, every client has the proxy's address and the
    # rate limits count everybody as one: the first forwarded request says so, once.
    caplog.set_level(logging.WARNING, logger="portal.web.proxies")
    client = _addr_app(make_app).test_client()
    assert client.get("/_addr").text == "127.0.0.1 http"
    assert "PORTAL_TRUSTED_PROXIES" not in caplog.text  # no proxy, nothing to say
    for _ in range(3):
        client.get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert caplog.text.count("PORTAL_TRUSTED_PROXIES is 0") == 1
    caplog.clear()
    trusted = _addr_app(make_app, TRUSTED_PROXIES=1).test_client()
    trusted.get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert "PORTAL_TRUSTED_PROXIES" not in caplog.text


def test_production_sends_hsts_and_development_does_not(make_app):
    secured = make_app(HSTS_SECONDS=63072000).test_client()
    for response in (secured.get("/"), secured.get("/sign-in/staff")):
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=63072000; includeSubDomains"
        )
    plain = make_app().test_client()
    assert "Strict-Transport-Security" not in plain.get("/").headers


def test_production_turns_hsts_on_by_default(tmp_path):
    app = Flask(__name__, instance_path=str(tmp_path))
    _load_config(app, _config(tmp_path, ENV_NAME="production"))
    assert app.config["HSTS_SECONDS"] >= 365 * 24 * 3600
