"""The care-system API documents every status a change request can have: a change cancelled by
a coordinator or as superseded is 'cancelled' (migration 0027), and a client that validates the
document's enum must not meet a status it does not list."""

import json
from pathlib import Path

from portal.changes.models import STATUSES

DOCUMENT = json.loads((Path(__file__).parents[2] / "portal/careapi/openapi.json").read_text())


def _status_enums(node):
    if isinstance(node, dict):
        status = node.get("properties", {}).get("status", {})
        if "pending" in status.get("enum", ()):
            yield status["enum"]
        for value in node.values():
            yield from _status_enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _status_enums(value)


def test_the_document_lists_every_change_status():
    found = list(_status_enums(DOCUMENT))
    assert found and all(sorted(enum) == sorted(STATUSES) for enum in found)
