"""Every action the portal records has a label in the audit log, in Danish, Swedish and English.

The codes are read from the source (tests/audit/action_codes.py), so a new `record(...)` with a
new code fails here until the code has its label in portal/audit/labels.py.
"""

import ast

import pytest
from flask_babel import force_locale

from portal.access import inventory
from portal.audit.labels import ACTION_LABELS, action_label
from portal.audit.services import SYSTEM, record
from portal.changes import keycabinet
from portal.consent.models import DecisionKind, EventKind
from portal.locksmith.models import CLOSED_STATUSES
from tests.audit import action_codes
from tests.factories import make_user
from tests.helpers import sign_in_staff

# Where a code is built at run time: the codes each such place can make, from the tables that
# drive it. A new place of this kind fails test_every_dynamic_site_is_known until it is here.
ENTRANCE_KINDS = (*DecisionKind, EventKind.QUESTION)  # what consent's decision history records
DYNAMIC = {
    "portal/access/inventory.py:_history": {
        f"lock_unit.{a}" for a in (*inventory.RULES, "registered", "received")
    },
    "portal/changes/keycabinet.py:_event": {
        f"cabinet_key.{a}"
        for a in (*keycabinet.RULES, "stored", "move", "return_to_citizen", "return_corrected")
    },
    "portal/consent/decision_support.py:history": {f"consent.{k}" for k in ENTRANCE_KINDS},
    "portal/directory/reference.py:set_active": {
        f"{kind}.{change}"
        for kind in ("district", "provider", "care_group")
        for change in ("reactivated", "deactivated")
    },
    "portal/locksmith/completion.py:_close": {f"job_{s}" for s in CLOSED_STATUSES},
}


@pytest.fixture(scope="module")
def found():
    return action_codes.collect()


def _recorded(found) -> set[str]:
    return set(found.codes) | {code for codes in DYNAMIC.values() for code in codes}


def test_the_source_is_read(found):
    # The reader finds the plain calls, the wrappers and the constants it must follow.
    assert {"sign_in", "consent.request_expired", "change.requested", "demo_seeded"} <= set(
        found.codes
    )
    assert "import" in found.codes  # a wrapper's default action (citizens.importer.finish)
    assert len(found.codes) > 100


def test_every_dynamic_site_is_known(found):
    unknown = sorted(set(found.dynamic) - set(DYNAMIC))
    assert not unknown, f"name the codes these places can record in DYNAMIC: {unknown}"
    assert not set(DYNAMIC) - set(found.dynamic), "DYNAMIC names a place that is gone"


def test_consent_decision_history_records_only_the_kinds_listed():
    kinds = set()
    for path in (action_codes.PORTAL / "consent").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "history":
                kind = node.args[2] if len(node.args) > 2 else None
                kinds.add(ast.unparse(kind) if kind is not None else None)
    assert kinds and kinds <= {f"EventKind.{k.name}" for k in ENTRANCE_KINDS}, kinds


def test_every_recorded_action_has_a_label(found):
    missing = sorted(_recorded(found) - set(ACTION_LABELS))
    assert not missing, f"add these to portal/audit/labels.py: {missing}"


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
def test_every_label_is_translated(app, found, lang):
    english = {}
    with app.test_request_context():
        with force_locale("en"):
            english = {code: str(action_label(code)) for code in _recorded(found)}
        with force_locale(lang):
            for code in sorted(_recorded(found)):
                text = str(action_label(code))
                assert text and text != code, code
                if lang != "en":
                    assert text != english[code], f"{code}: not translated into {lang}"


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Consent request expired"), ("da", "Lås kasseret"), ("sv", "Nyckel utlämnad")],
)
def test_the_audit_page_shows_a_rarer_action_in_the_pages_language(client, db, now, lang, label):
    for code in ("consent.request_expired", "lock_unit.scrap", "cabinet_key.hand_out"):
        record(db, SYSTEM, code, now=now)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    client.get(f"/language/{lang}")
    html = client.get("/coordinator/audit").get_data(as_text=True)
    assert label in html and "<code>lock_unit.scrap</code>" in html  # the code stays beside it
