"""Production refuses to start unsafe: demo data, weak secrets, per-process rate limits."""

import base64
import secrets

import pytest

import portal.access.key_protection  # noqa: F401  (registers its production check)
from portal import create_app
from portal.audit.services import SYSTEM, record
from portal.web import production
from portal.web.production import UnsafeProduction, problems, weak_secret
from tests.conftest import NOW, make_test_config

STRONG = "Zq8w3Xr5Tt1Yp0Lk7Mn2Bv6Cx4Nh9Jg5Fd3Sa8Qe1W"
STRONG_KEYS = {
    "current": "p1",
    "keys": {"p1": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()},
    "index_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
}
SAFE = {
    "ENV_NAME": "production",
    "SECRET_KEY": STRONG,
    "FIELD_KEYS": STRONG_KEYS,
    "MFA_REQUIRED_ROLES": ("coordinator", "provider_admin", "locksmith"),
    "ISSUER_KEY_PASSPHRASE": secrets.token_urlsafe(32),
    # The municipality's own texts (the demo's are refused in letters: portal/directory/settings).
    "MUNICIPALITY_NAME": "Testby Kommune",
    "MUNICIPALITY_ADDRESS": "Torvet 1, 9999 Testby",
    "MUNICIPALITY_PHONE": "+45 99 99 99 99",
    "MUNICIPALITY_EMAIL": "pleje@testby.example",
    "PORTAL_URL": "https://pleje.testby.example",
    "LETTER_SIGNATURE_NAME": "Eva Lind",
}


@pytest.mark.parametrize(
    "key",
    [
        "a" * 32,
        "password" * 4,
        "password" * 8,
        "0123456789" * 4,
        "short-but-random",
        "",
        None,
        "demo-" + STRONG,
        STRONG + "-change-me",
    ],
)
def test_weak_secret_keys_are_refused(key):
    assert weak_secret(key)
    assert problems({**SAFE, "SECRET_KEY": key})


@pytest.mark.parametrize(
    "key",
    [
        STRONG,
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(48),
        secrets.token_hex(16),
        secrets.token_hex(32),
        "xK3" + "Dev" + STRONG,
    ],
    # Fixed ids: the keys are new on every run, and pytest-xdist's workers must agree on names.
    ids=["strong", "urlsafe32", "urlsafe48", "hex16", "hex32", "dev-prefixed"],
)
def test_random_keys_pass(key):
    assert not weak_secret(key)


def test_weak_field_keys_are_refused():
    weak = {"current": "k", "keys": {"k": "a" * 44}, "index_key": STRONG}
    assert any("FIELD_KEYS" in p for p in problems({**SAFE, "FIELD_KEYS": weak}))
    assert not problems(SAFE)


@pytest.mark.parametrize(
    ("extra", "environ", "refused"),
    [
        ({}, {}, False),
        ({"PROCESSES": 2}, {}, True),
        ({}, {"WEB_CONCURRENCY": "4"}, True),
        ({"PROCESSES": 2, "REDIS_URL": "redis://cache:6379/0"}, {}, False),
        ({"PROCESSES": 1}, {"WEB_CONCURRENCY": "3"}, False),  # the setting wins
        ({"INSECURE_COOKIES": True}, {}, True),
        ({"SESSION_COOKIE_SECURE": False}, {}, True),
        ({"SESSION_COOKIE_SECURE": True}, {}, False),
        ({"DEMO_DATA": True}, {}, True),
        ({"MFA_REQUIRED_ROLES": ("coordinator",)}, {}, True),
        ({"MFA_REQUIRED_ROLES": ()}, {}, True),
    ],
)
def test_config_refusals(monkeypatch, extra, environ, refused):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert bool(problems({**SAFE, **extra})) is refused


def _production_config(app, tmp_path, **extra):
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path), **SAFE)
    config.update({"INSECURE_COOKIES": False, **extra})
    return config


def test_production_starts_on_a_clean_database(app, db, tmp_path):
    create_app(_production_config(app, tmp_path))


def test_production_refuses_the_demo_seed(app, db, tmp_path):
    record(db, SYSTEM, production.DEMO_MARKER, now=NOW, data={"accounts": ["k@demo.example"]})
    db.commit()
    with pytest.raises(UnsafeProduction, match="k@demo.example"):
        create_app(_production_config(app, tmp_path))
    create_app(_production_config(app, tmp_path, ENV_NAME="development"))


def test_the_demo_seed_leaves_the_mark(app, db):
    from portal.demo import seed_all

    with app.test_request_context():
        seed_all(db, now=NOW)
    assert production.problems(SAFE, db)


def test_every_problem_is_listed_at_once(app, tmp_path):
    config = _production_config(app, tmp_path, SECRET_KEY="a" * 32, INSECURE_COOKIES=True)
    with pytest.raises(UnsafeProduction) as caught:
        create_app(config)
    assert len(caught.value.problems) == 2


def test_a_check_added_by_another_feature_runs(monkeypatch):
    monkeypatch.setattr(production, "CHECKS", list(production.CHECKS))

    @production.production_check
    def _letters(config):
        yield "letters default"

    assert problems(SAFE) == ["letters default"]


def test_gunicorn_tells_the_app_how_many_workers_serve(monkeypatch):
    import os
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    from portal.config import env_overrides

    # The hook writes to the environment: give it a copy, so nothing leaks into other tests.
    environ = {
        k: v for k, v in os.environ.items() if k not in ("PORTAL_PROCESSES", "WEB_CONCURRENCY")
    }
    monkeypatch.setattr(os, "environ", environ)
    hooks = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    hooks["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=3)))
    config = {**SAFE, **env_overrides(environ)}
    assert config["PROCESSES"] == 3
    assert any("REDIS_URL" in p for p in problems(config))


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://pleje.testby.example", True),  # a letter's QR link would send the code in clear
        ("HTTP://pleje.testby.example", True),
        ("https://pleje.testby.example", False),
        ("HTTPS://pleje.testby.example", False),
    ],
)
def test_a_plain_http_portal_address_is_refused(app, db, url, refused):
    assert any("PORTAL_URL" in p for p in production.problems({**SAFE, "PORTAL_URL": url}, db)) is (
        refused
    )


def test_a_plain_http_address_stored_on_the_settings_page_is_refused(app, db, clock):
    from portal.audit.services import SYSTEM
    from portal.directory import settings

    settings.save(db, {"portal_url": "http://pleje.testby.example"}, now=clock(), actor=SYSTEM)
    db.commit()
    assert any("PORTAL_URL" in p for p in production.problems(SAFE, db))
