"""create_app(): the one place that assembles the app."""

import importlib
import logging
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from portal import (
    PACKAGE_DIR,
    connections,
    feature_names,
    import_feature_module,
)
from portal import config as cfg
from portal.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from portal.fieldcrypto import Keyring
from portal.web import redact
from portal.web.proxies import behind_proxies
from portal.web.templating import PortalEnvironment


def translation_directories() -> str:
    """portal/translations plus each feature's own catalog folder (Flask-Babel merges them)."""
    dirs = [PACKAGE_DIR / "translations"]
    dirs += sorted(p for p in PACKAGE_DIR.glob("*/translations") if p != dirs[0])
    return ";".join(str(d) for d in dirs)


class BoundedInt(IntegerConverter):
    """<int:...> that stops at 2**31-1, so a 20-digit id is a 404, never a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(cfg.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(cfg.env_overrides())
    if test_config:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config["INSTANCE_PATH"] = app.instance_path  # the folder in use, whoever chose it
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{instance / 'portal.db'}")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = connections.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS")
    )
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # A REDIS_URL from instance/config.py counts rate limits there too, not per process.
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config.get("HSTS_SECONDS") is None:
        production = app.config.get("ENV_NAME") == "production"
        app.config["HSTS_SECONDS"] = 2 * 365 * 24 * 3600 if production else 0
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = cfg.instance_secret(instance, "secret_key")
    if not app.config.get("FIELD_KEYS"):
        app.config["FIELD_KEYS"] = cfg.field_keys(instance)
    if app.config.get("INSECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = False
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal: config, extensions, every feature's blueprint, CLI and hooks."""
    app = Flask(
        __name__, instance_relative_config=True, instance_path=cfg.instance_folder(test_config)
    )
    app.jinja_environment = PortalEnvironment  # before anything renders (jinja_env is lazy)
    app.url_map.converters["int"] = BoundedInt
    _load_config(app, test_config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    redact.install("werkzeug")  # the development server's request log
    app.wsgi_app = behind_proxies(app.wsgi_app, int(app.config.get("TRUSTED_PROXIES") or 0))

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PACKAGE_DIR.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    app.extensions["keyring"] = Keyring.from_config(app.config["FIELD_KEYS"])

    from portal import i18n, web
    from portal.web import errors, production, security, unavailable
    from portal.web import htmx as web_htmx

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    web.init_app(app)
    errors.register(app)
    unavailable.register(app)
    app.before_request(security.enforce_idle_timeout)
    app.after_request(security.security_headers)
    app.after_request(web_htmx.add_vary)
    app.register_error_handler(CSRFError, web_htmx.csrf_failure)
    login_manager.unauthorized_handler(web_htmx.unauthorized)
    _setup_login(app)

    for feature in feature_names():
        import_feature_module(feature, "models")
    demo_modules = {f: import_feature_module(f, "demo") for f in feature_names() if f != "demo"}
    app.extensions["portal.demo_modules"] = {f: m for f, m in demo_modules.items() if m}
    for feature in feature_names():
        package = importlib.import_module(f"portal.{feature}")
        if hasattr(package, "init_app"):
            package.init_app(app)  # imports the views, so routes exist before registering
        if hasattr(package, "bp"):
            app.register_blueprint(package.bp)
    production.refuse_unsafe(app)  # last: checks may read what the features registered
    production.warn_about(app)
    return app


def _setup_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from portal.accounts.principals import Anonymous, load_principal

    login_manager.anonymous_user = Anonymous
    # Only a fallback: the unauthorized handler (web.htmx.unauthorized) picks the citizen's,
    # the owner's or the staff sign-in page from the page asked for.
    login_manager.login_view = "accounts.staff_sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(ident: str):
        return load_principal(db.session, ident)
