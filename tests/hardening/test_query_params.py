"""Odd query parameters never give a 500: every GET route, every role, every parameter name.

Parameter names are found in the source (`request.args.get("x")`, `"x" in request.args`, and
the fields of every form built from `request.args`), so a new one is covered without a list.
Every route gets every name at once with each odd value; then each name it reads (as its
`request.args` records them; all names for a route that walks the whole of `request.args`) on
its own with the sharpest values, so one refused parameter cannot hide another's crash.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
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


EVERY = "*"  # a route walked the whole of request.args


class _RecordedArgs(ImmutableMultiDict):
    """`request.args` that notes which names the view asked for."""

    read: set[str] = set()


def _noting(method: str, walks: bool):
    """`method` of the args that first notes the name asked for, or EVERY for a walk."""

    def noted(self, *args, **kwargs):
        self.read.add(EVERY if walks else args[0])
        return getattr(ImmutableMultiDict, method)(self, *args, **kwargs)

    return noted


for _method in ("__getitem__", "get", "getlist", "__contains__"):
    setattr(_RecordedArgs, _method, _noting(_method, walks=False))
for _method in ("items", "keys", "values", "lists", "to_dict", "__iter__"):
    setattr(_RecordedArgs, _method, _noting(_method, walks=True))


class _RecordingRequest(Request):
    parameter_storage_class = _RecordedArgs


def test_parameter_names_are_found():
    names = parameter_names()
    assert {"provider", "campaign", "scope", "day", "page"} <= set(names)


def test_the_recorded_args_see_what_a_view_reads(app, monkeypatch):
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    read = _RecordedArgs.read
    with app.test_request_context("/?a=1&b=2"):
        from flask import request

        read.clear()
        request.args.get("a"), "c" in request.args, request.args.getlist("d")
        assert read == {"a", "c", "d"}
        dict(request.args.items())
        assert EVERY in read


def _ask(client, route: str, ask: dict) -> None:
    url = f"{route}?{urlencode(ask)}"
    assert client.get(url).status_code < 500, url[:300]


@pytest.mark.parametrize("role", ROLES)
def test_odd_query_parameters_never_give_a_500(app, db, role, monkeypatch):
    world = make_world(db)
    client = client_for(app, world, role)
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    read = _RecordedArgs.read
    names = parameter_names()
    tried = 0
    for route in get_routes(app):
        read.clear()
        if client.get(route).status_code != 200:
            continue  # not this role's page
        for value in VALUES:
            _ask(client, route, {n: value for n in names})
        its_names = names if EVERY in read else sorted(read & set(names))
        for name in its_names:
            for value in SHARP:
                _ask(client, route, {name: value})
        tried += 1
    assert tried
