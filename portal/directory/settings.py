"""The municipality's own texts, stored in the database and edited by coordinators.

Each setting overrides one config default (`FIELDS`: key -> config name, per language or not).
They are laid over `app.config` whenever an app context starts (a request, a job, a command),
so every page, e-mail and letter that reads the config shows the municipality's own words; a
setting never stored leaves the config value as it is. `missing()` names what a coordinator
has not set yet (the first-run checklist), and `demo_defaults()` what still carries the demo
values that production refuses.
"""

import base64
import json
import time
from datetime import datetime

from flask import appcontext_pushed
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit.services import Actor, record
from portal.directory.images import drawable, image_size
from portal.directory.models import MunicipalitySetting
from portal.extensions import db
from portal.web.production import production_check

# key -> (config name, per language)
FIELDS = {
    "name": ("MUNICIPALITY_NAME", False),
    "phone": ("MUNICIPALITY_PHONE", False),
    "hours": ("MUNICIPALITY_HOURS", True),
    "email": ("MUNICIPALITY_EMAIL", False),
    "sender_address": ("MUNICIPALITY_ADDRESS", False),
    "portal_url": ("PORTAL_URL", False),
    "signature_name": ("LETTER_SIGNATURE_NAME", False),
    "signature_title": ("LETTER_SIGNATURE_TITLE", True),
}
LOGO = "logo"
# The demo values a fresh install starts with; letters in production must not carry them.
DEMO_VALUES = {
    "MUNICIPALITY_NAME": "Demo Kommune",
    "MUNICIPALITY_ADDRESS": "Rådhuspladsen 1, 4100 Demoby",
    "MUNICIPALITY_PHONE": "+45 70 10 20 30",
    "MUNICIPALITY_EMAIL": "hjemmepleje@demo.example",
    "PORTAL_URL": "http://127.0.0.1:5000",
    "LETTER_SIGNATURE_NAME": "Mette Holm",
}


def stored(session) -> dict[str, MunicipalitySetting]:
    """Every stored setting by key."""
    return {s.key: s for s in session.scalars(select(MunicipalitySetting))}


def value_of(setting: MunicipalitySetting):
    """A stored setting's value (a dict for the per-language ones)."""
    return json.loads(setting.value)


def save(session, values: dict, *, now: datetime, actor: Actor) -> list[str]:
    """Store the settings in `values` (key -> text or {lang: text}); returns the changed keys."""
    have = stored(session)
    changed = []
    for key, value in values.items():
        if key not in FIELDS:
            raise KeyError(key)
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row = have.get(key)
        if row is not None and row.value == text:
            continue
        if row is None:
            row = MunicipalitySetting(key=key)
            session.add(row)
        row.value, row.updated_at = text, now
        changed.append(key)
    if changed:
        session.flush()
        record(
            session,
            actor,
            "settings.changed",
            now=now,
            object_type="settings",
            data={"keys": changed},
        )
    return changed


def save_logo(session, data: bytes, media_type: str, sha256: str, *, now, actor: Actor):
    """Store the municipality's logo (the caller checked it is an image)."""
    row = session.get(MunicipalitySetting, LOGO)
    if row is None:
        row = MunicipalitySetting(key=LOGO)
        session.add(row)
    row.value = json.dumps({"type": media_type, "sha256": sha256})
    row.blob, row.updated_at = data, now
    session.flush()
    record(
        session, actor, "settings.logo", now=now, object_type="settings", data={"sha256": sha256}
    )
    return row


def missing(session, languages, config=None) -> list[str]:
    """The settings a coordinator has not given yet (per-language ones need every language);
    with the app's `config`, a stored logo that cannot be drawn is not given either."""
    have = stored(session)
    out = []
    for key, (_, per_language) in FIELDS.items():
        row = have.get(key)
        value = value_of(row) if row is not None else None
        if value == DEMO_VALUES.get(FIELDS[key][0]):
            value = None
        if not value or (per_language and not all((value or {}).get(lang) for lang in languages)):
            out.append(key)
    if LOGO not in have or (config is not None and logo_unusable(config)):
        out.append(LOGO)
    return out


def states(session, config, languages) -> dict[str, tuple[str, object]]:
    """Each text as the set-up pages tell it: (state, the value the pages use now). The state is
    "saved" (stored, counts as done), "incomplete" (stored without every language), "demo" (the
    pages show a demo value), "default" (the pages use a value from the server's config that
    nobody confirmed here) or "empty"; only "saved" counts as done, as in `missing()`."""
    missing_keys = set(missing(session, languages))
    have = stored(session)
    out = {}
    for key, (name, _per_language) in FIELDS.items():
        value = config.get(name)
        if key not in missing_keys:
            state = "saved"
        elif value and value == DEMO_VALUES.get(name):
            state = "demo"
        elif key in have:
            state = "incomplete"
        elif value:
            state = "default"
        else:
            state = "empty"
        out[key] = (state, value)
    return out


def demo_defaults(config) -> list[str]:
    """The config names whose value is still the demo one (after the settings are laid over)."""
    return [name for name, demo in DEMO_VALUES.items() if config.get(name) == demo]


def _read(session_or_conn) -> dict[str, str]:
    table = MunicipalitySetting.__table__
    return dict(session_or_conn.execute(select(table.c.key, table.c.value)).all())


def overlay(app, force: bool = False) -> None:
    """Lay the stored settings over the app's config (a setting removed restores the default).

    Read at most once per SETTINGS_CACHE_SECONDS per process (another process's change shows
    within that time); a write to the table through this app's engine (a coordinator saving,
    a test emptying it) makes the next app context read again at once. The set-up pages
    read with `force`, so the form a coordinator edits is never another process's old copy.
    """
    cache = app.extensions.setdefault("municipality_settings", {"at": None})
    # A monotonic interval for a cache, not the municipality's time: portal.clock is not used.
    moment = time.monotonic()
    ttl = app.config.get("SETTINGS_CACHE_SECONDS", 30)
    if not force and cache["at"] is not None and moment - cache["at"] < ttl:
        return
    try:
        with db.engine.connect() as conn:  # back to the pool at once, not held by a session
            rows = _read(conn)
            logo = json.loads(rows[LOGO]) if LOGO in rows else None
            blob = None
            if logo and app.config.get("MUNICIPALITY_LOGO_SHA") != logo["sha256"]:
                table = MunicipalitySetting.__table__
                blob = conn.scalar(select(table.c.blob).where(table.c.key == LOGO))
    except SQLAlchemyError:  # no table yet: `flask db upgrade` runs in an app context too
        return
    cache["at"] = moment
    defaults = app.extensions.setdefault("municipality_defaults", {})
    for key, (name, _) in FIELDS.items():
        if key in rows:
            defaults.setdefault(name, app.config.get(name))
            app.config[name] = json.loads(rows[key])
        elif name in defaults:
            app.config[name] = defaults.pop(name)
    if logo is None:
        app.config["MUNICIPALITY_LOGO_SHA"] = app.config["MUNICIPALITY_LOGO_DATA"] = None
        app.config["MUNICIPALITY_LOGO_SIZE"] = None
        app.config["MUNICIPALITY_LOGO_UNUSABLE"] = False
    elif blob is not None:
        # The image itself is read (and checked) only when it changed: letters embed it as a
        # data: URL. A logo stored before the upload refused bombs may fail the check: then
        # it is drawn nowhere (not the standard logo either) until it is uploaded again.
        usable = drawable(blob, logo["type"])
        data = base64.b64encode(blob).decode()
        app.config["MUNICIPALITY_LOGO_DATA"] = (
            f"data:{logo['type']};base64,{data}" if usable else None
        )
        app.config["MUNICIPALITY_LOGO_SIZE"] = image_size(blob, logo["type"]) if usable else None
        app.config["MUNICIPALITY_LOGO_UNUSABLE"] = not usable
        app.config["MUNICIPALITY_LOGO_SHA"] = logo["sha256"]


def logo_unusable(config) -> bool:
    """A logo is stored but fails the check the upload makes (too large or too complex to
    draw): pages and letters are made without it."""
    return bool(config.get("MUNICIPALITY_LOGO_SHA") and config.get("MUNICIPALITY_LOGO_UNUSABLE"))


def init_app(app) -> None:
    """Lay the settings over the config at the start of every app context of `app`, and
    read them again after any write to their table through this app's engine."""
    cache = app.extensions.setdefault("municipality_settings", {"at": None})

    def pushed(sender, **_):
        if sender is app:
            overlay(app)

    def written(_conn, _cursor, statement, *_args):
        if MunicipalitySetting.__tablename__ in statement and not statement.lstrip()[
            :6
        ].upper().startswith("SELECT"):
            cache["at"] = None

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", written)
    appcontext_pushed.connect(pushed, app, weak=False)


def _merged(config, session) -> dict:
    merged = dict(config)
    for key, raw in _read(session).items():
        if key in FIELDS:
            merged[FIELDS[key][0]] = json.loads(raw)
    return merged


@production_check(database=True)
def plain_http_portal_url(config, session):
    """Production refuses a portal address without https: every letter's QR link carries the
    citizen's code (and a consent letter's the owner's code) to it, and a phone scanning the
    QR code has usually never seen the portal, so no HSTS turns the first request into https."""
    url = str(_merged(config, session).get("PORTAL_URL") or "")
    if not url.lower().startswith("https://"):
        yield (
            f"PORTAL_URL is {url!r}: letters' QR links would send letter codes over plain "
            "http. Set an https:// address on the coordinator's settings page or in the config."
        )


@production_check(database=True)
def demo_letter_defaults(config, session):
    """Production refuses to start while a letter would carry a demo value (a Swedish letter
    signed by the demo's "Mette Holm", the demo address or phone): the texts a coordinator
    stored count over the config."""
    leaks = demo_defaults(_merged(config, session))
    if leaks:
        yield (
            "Letters would carry the demo municipality's texts: set "
            + ", ".join(leaks)
            + " on the coordinator's settings page or in the instance config."
        )
