"""A document keeps the name it was uploaded with, in any alphabet, and still downloads."""

import pytest

from portal.changes import decisions, documents, services
from tests.changes.support import CITIZEN, COORDINATOR, NOW, fitted_citizen, make_town, on, policy
from tests.factories import make_user
from tests.helpers import sign_in_staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "name", ["Свидетельство о смерти.pdf", "akt zgonu Łódź.pdf", "死亡证明.pdf", "brev.pdf"]
)
def test_a_document_named_in_any_alphabet_downloads_under_its_name(client, db, app, name):
    town = make_town(db)
    req = services.submit(
        db,
        fitted_citizen(db, town),
        "leave",
        on("2026-12-01", reason="deceased", estate_contact="Estate, 20 30 40 50"),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    doc = documents.attach(db, req, name, PDF, max_bytes=10**6, now=NOW, actor=CITIZEN)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    response = client.get(f"/coordinator/changes/documents/{doc.id}")
    assert response.status_code == 200 and response.data == PDF
    # A WSGI server sends header values as Latin-1 (PEP 3333): anything else fails the download.
    for header, value in response.headers.items():
        value.encode("latin-1"), header
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition or name in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_citizen_cannot_fill_the_disk_by_withdrawing_and_asking_again(db, app, monkeypatch):
    monkeypatch.setattr(documents, "MAX_PER_CITIZEN", 12)
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    attached = 0
    with pytest.raises(documents.TooManyForCitizen) as refused:
        for _round in range(3):  # each request takes ten files; withdrawn, the files stay
            req = services.submit(
                db,
                citizen,
                "switch",
                on("2026-12-01", provider_id=town.omsorg.id),
                source="citizen",
                now=NOW,
                actor=CITIZEN,
                policy=policy(app),
            )
            for _file in range(documents.MAX_DOCUMENTS):
                documents.attach(db, req, "a.pdf", PDF, max_bytes=10**6, now=NOW, actor=CITIZEN)
                attached += 1
            decisions.withdraw(db, req, now=NOW, actor=CITIZEN)
    assert attached == 12 and refused.value.params == {"count": 12}
    # The municipality's own uploads (a certificate from the care system) are not held back.
    documents.attach(
        db, req, "b.pdf", PDF, max_bytes=10**6, now=NOW, actor=COORDINATOR, from_citizen=False
    )
