"""Bad input on every form of the foundation: a clear answer, escaped output, never a 500."""

import pytest
from sqlalchemy import func, select

from portal.citizens.models import Citizen
from portal.extensions import limiter
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_staff

SCRIPT = '<script>alert("x")</script>'
BAD_VALUES = {
    "empty": "",
    "blank": "   \t ",
    "overlong": "x" * 10_240,
    "script": SCRIPT,
    "attribute": '" onmouseover="alert(1)',
    "sql": "' OR '1'='1'; DROP TABLE citizen; --",
    "nul": "a\x00b",
    "control": "a\x1b[31mb\r\nc",
    "unicode": "Ærø 😀 \u202egnp.exe",
    "negative": "-99999999999999999999",
    "huge": "99999999999999999999",
    "superscript": "²",
}

# form -> (method, url, valid values of every field, signed in as)
FORMS = {
    "staff sign-in": ("POST", "/sign-in/staff", {"email": "a@b.example", "password": "x"}, None),
    "citizen sign-in": (
        "POST",
        "/sign-in/citizen",
        {"code": "{code}", "day": "24", "month": "3", "year": "1940"},
        None,
    ),
    "relative sign-in": (
        "POST",
        "/sign-in/relative",
        {
            "code": "{code}",
            "day": "24",
            "month": "3",
            "year": "1940",
            "name": "Rita",
            "phone": "20304050",
            "relation": "child",
        },
        None,
    ),
    "register search": (
        "GET",
        "/coordinator/citizens",
        {"q": "borger", "district": "", "provider": "", "status": "", "page": "1"},
        "coordinator",
    ),
    "import confirm": ("POST", "/coordinator/import/{batch}", {"batch": "{batch}"}, "coordinator"),
    "language switch": ("GET", "/language/da", {"next": "/accessibility"}, None),
}
CASES = [(form, name) for form, (_, _, fields, _) in FORMS.items() for name in fields]


@pytest.mark.parametrize(("form", "field"), CASES, ids=[f"{f}-{n}" for f, n in CASES])
def test_bad_values_in_every_field(client, db, form, field):
    from portal.citizens.importer import store_upload

    citizen = make_citizen(db, name="Borger Et")
    user = make_user(db, "coordinator")
    batch = store_upload(
        db,
        "a.csv",
        b"external_id,national_id,name,date_of_birth,address,"
        b"postcode,city\nX,2403411234,A,1941-03-24,B,4100,C\n",
        user.id,
        citizen.created_at,
    )
    db.commit()
    method, url, fields, signed_in = FORMS[form]
    if signed_in:
        sign_in_staff(client, user)
    refs = {"code": citizen.code, "batch": batch.id}
    url = url.format(**refs)
    for label, value in BAD_VALUES.items():
        limiter.reset()  # a dozen tries of one code would hit the per-code limit
        data = {k: v.format(**refs) for k, v in fields.items()}
        data[field] = value
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 303), (label, response.status_code)
        assert SCRIPT not in html and 'onmouseover="alert' not in html, label
        assert "\x00" not in html and "Traceback" not in html, label
        if response.status_code == 303:
            assert response.location.startswith("/"), (label, response.location)
    assert db.scalar(select(func.count(Citizen.id))) >= 1


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_values_in_the_address_bar(client, db, value):
    sign_in_staff(client, make_user(db, "coordinator"))
    for path in ("/coordinator/citizens/{v}", "/coordinator/import/{v}", "/language/{v}", "/{v}"):
        response = client.get(path.format(v=value[:2000]))
        assert response.status_code in (200, 303, 308, 404), (path, response.status_code)
        assert SCRIPT not in response.get_data(as_text=True)


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_upload_file_names(client, db, value):
    import io

    from tests.citizens.csvdata import csv_bytes, make_reference_data, row

    make_reference_data(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    raw = csv_bytes([row(1)])
    response = client.post(
        "/coordinator/import",
        data={"file": (io.BytesIO(raw), value[:1000])},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 303)
    if response.status_code == 303:
        html = client.get(response.location).get_data(as_text=True)
        assert SCRIPT not in html and "Borger Nummer1" in html
