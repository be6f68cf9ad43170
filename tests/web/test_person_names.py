"""Every field that holds a person's name follows the one name rule (portal.web.text.PersonName):
one line and at least one letter. "..." never stands for who signed a consent, received a key,
is a staff member or signs the municipality's letters."""

import pytest
from flask import session
from werkzeug.datastructures import MultiDict

from portal.access.forms import StaffForm
from portal.accounts.forms import RelativeSignInForm
from portal.changes.keycabinet_forms import KeyActionForm, MoveKeyForm
from portal.consent.owner_forms import AccountForm, ColleagueForm, DeclineForm
from portal.directory.forms import ProviderForm, SettingsForm
from portal.web.text import CONTROL_MESSAGE, NAME_MESSAGE

FIELDS = [
    (RelativeSignInForm, "name"),
    (KeyActionForm, "person"),
    (MoveKeyForm, "person"),
    (AccountForm, "name"),
    (ColleagueForm, "name"),
    (DeclineForm, "signer_name"),
    (StaffForm, "first_name"),
    (StaffForm, "last_name"),
    (ProviderForm, "contact_name"),
    (SettingsForm, "signature_name"),
]


def _errors(app, form_class, field: str, value: str) -> list[str]:
    """The field's errors, in English (the messages below are compared untranslated)."""
    with app.test_request_context(method="POST", headers={"Accept-Language": "en"}):
        session["lang"] = "en"
        form = form_class(formdata=MultiDict({field: value}), meta={"csrf": False})
        form.validate()
        return [str(e) for e in form[field].errors]


@pytest.mark.parametrize(("form_class", "field"), FIELDS)
@pytest.mark.parametrize("value", ["...", "-- ''", "🙂🎉", "\u200b\u200b", "12345", "<>&"])
def test_a_name_without_a_letter_is_refused(app, form_class, field, value):
    assert _errors(app, form_class, field, value) == [str(NAME_MESSAGE)]


@pytest.mark.parametrize(("form_class", "field"), FIELDS)
def test_a_name_on_two_lines_is_refused(app, form_class, field):
    assert _errors(app, form_class, field, "Åse\nØdegård") == [str(CONTROL_MESSAGE)]


@pytest.mark.parametrize(("form_class", "field"), FIELDS)
@pytest.mark.parametrize("value", ["Åse Ødegård", "李明", "O'Neil-Smith", "Ib"])
def test_names_in_any_script_pass(app, form_class, field, value):
    assert _errors(app, form_class, field, value) == []
