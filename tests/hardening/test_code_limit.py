"""The per-code limit counts failed attempts only, one budget across citizen and relative pages."""

from tests.factories import make_citizen
from tests.web.support import RELATIVE, english_client


def _form(citizen, *, year=None, relative=False):
    born = citizen.date_of_birth
    data = {"code": citizen.code, "day": born.day, "month": born.month, "year": year or born.year}
    return {**data, **RELATIVE} if relative else data


def test_successful_sign_ins_do_not_use_up_the_code(app, db):
    citizen = make_citizen(db)
    db.commit()
    for i in range(15):
        client = english_client(app, f"10.5.0.{i + 1}")  # fifteen devices of the family
        page = "/sign-in/relative" if i % 2 else "/sign-in/citizen"
        response = client.post(page, data=_form(citizen, relative=bool(i % 2)))
        assert response.status_code == 303, i


def test_failures_share_one_limit_per_code_across_both_pages(app, db):
    citizen = make_citizen(db)
    db.commit()
    limit = int(app.config["CITIZEN_CODE_LIMIT"].split()[0])
    wrong_year = citizen.date_of_birth.year - 1
    for i in range(limit):
        client = english_client(app, f"10.6.0.{i + 1}")
        page, relative = ("/sign-in/relative", True) if i % 2 else ("/sign-in/citizen", False)
        response = client.post(page, data=_form(citizen, year=wrong_year, relative=relative))
        assert response.status_code == 200, i
    for page, relative in (("/sign-in/citizen", False), ("/sign-in/relative", True)):
        client = english_client(app, "10.6.1.1")
        assert client.post(page, data=_form(citizen, relative=relative)).status_code == 429
