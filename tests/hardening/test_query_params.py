"""Odd query parameters never give a 500: every GET route, every role, every parameter name.

Parameter names are found in the source (`request.args.get("x")`, `"x" in request.args`, and
the fields of every form built from `request.args`), so a new one is covered without a list.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from wtforms.fields.core import UnboundField

from tests.web.support import client_for, make_world

PORTAL = Path(__file__).resolve().parents[2] / "portal"
VALUES = [
    "²",
    "٣",
    "99999999999999999999",
    "",
    "-1",
    "0",
    "1.5",
    "\x00",
    "district:99999999999999999999",
    "campaign:²",
    "district:-1",
    "x" * 3000,
    "2026-02-31",
    "99999-01-01",
]
SHARP = ["²", "99999999999999999999", "\x00", "district:99999999999999999999"]
ROLES = ("anonymous", "citizen", "owner", "coordinator", "locksmith", "provider_admin")


def parameter_names() -> list[str]:
    """Every query parameter name the portal reads."""
    names = {"page", "next"}
    forms = set()
    for path in PORTAL.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"request\.args(?:\.get)?[\[(]\s*\"(\w+)\"", text))
        names |= set(re.findall(r"\"(\w+)\" in request\.args", text))
        names |= set(re.findall(r"\b(?:id|day|text)_arg\(\s*\"(\w+)\"", text))
        module = ".".join(path.relative_to(PORTAL.parent).with_suffix("").parts)
        forms |= {(module, name) for name in re.findall(r"(\w+Form)\(request\.args", text)}
    for module, name in forms:
        mod = importlib.import_module(module)
        cls = getattr(mod, name)
        names |= {k for k in dir(cls) if isinstance(getattr(cls, k, None), UnboundField)}
    return sorted(names)


def get_routes(app) -> list[str]:
    """GET routes without path arguments (the ones that take their input from the query)."""
    skip = {"static", "accounts.sign_out"}
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in skip
    )


def test_parameter_names_are_found():
    names = parameter_names()
    assert {"provider", "campaign", "scope", "day", "page"} <= set(names)


@pytest.mark.parametrize("role", ROLES)
def test_odd_query_parameters_never_give_a_500(app, db, role):
    world = make_world(db)
    client = client_for(app, world, role)
    names = parameter_names()
    tried = 0
    for route in get_routes(app):
        if client.get(route).status_code != 200:
            continue  # not this role's page
        asks = [{n: value for n in names} for value in VALUES]
        asks += [{n: value} for n in names for value in SHARP]
        for ask in asks:
            url = f"{route}?{urlencode(ask)}"
            status = client.get(url).status_code
            assert status < 500, url[:300]
            tried += 1
    assert tried
