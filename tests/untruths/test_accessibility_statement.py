"""The accessibility statement says what is true of this installation: it says eID sign-in is
not possible only where no eID broker is configured."""

import pytest

from tests.web.support import english_client

NO_EID = "Signing in with an electronic ID (MitID, BankID) is not possible yet."


@pytest.mark.parametrize(("issuer", "says_no_eid"), [(None, True), ("https://eid.test", False)])
def test_the_statement_speaks_of_eid_only_as_configured(app, monkeypatch, issuer, says_no_eid):
    monkeypatch.setitem(app.config, "OIDC_ISSUER", issuer)
    page = english_client(app).get("/accessibility").get_data(as_text=True)
    assert "WCAG) 2.2 at level AA" in page
    assert (NO_EID in page) is says_no_eid
