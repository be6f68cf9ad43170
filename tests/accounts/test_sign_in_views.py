"""Sign-in pages: messages that reveal nothing, forms that keep what was typed, lockout, rate
limits, sign-out that ends the session on the server, idle timeouts and CSRF."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.citizens.letter_codes import generate, grouped
from portal.citizens.models import Citizen, Relative
from tests.factories import PASSWORD, make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import english_client

BORN = date(1941, 3, 24)


def summary(html: str) -> list[str]:
    """The items of the error summary, as text."""
    box = re.search(r'class="alert alert-error error-summary".*?</ul>', html, re.S)
    if not box:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", box.group(0), re.S)
    ]


def value_of(html: str, field: str) -> str | None:
    """The value attribute an input comes back with."""
    tag = re.search(rf'<input[^>]*\bname="{field}"[^>]*>', html)
    assert tag, f"no input {field}"
    found = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


@pytest.fixture
def citizen(db):
    c = make_citizen(db, date_of_birth=BORN)
    db.commit()
    return c


def _post(client, code, day="24", month="3", year="1941", url="/sign-in/citizen", **extra):
    return client.post(url, data={"code": code, "day": day, "month": month, "year": year, **extra})


def test_wrong_code_and_wrong_date_get_one_identical_message(client, citizen):
    wrong_date = _post(client, grouped(citizen.code), day="25")
    wrong_code = _post(client, grouped(generate()))
    assert wrong_date.status_code == wrong_code.status_code == 200
    message = summary(wrong_date.get_data(as_text=True))
    assert len(message) == 1 and message == summary(wrong_code.get_data(as_text=True))
    assert "code or the date of birth" in message[0]
    html = wrong_date.get_data(as_text=True)
    assert "aria-invalid" not in html  # no field is singled out as the wrong one
    assert value_of(html, "code") == grouped(citizen.code)
    assert (value_of(html, "day"), value_of(html, "month"), value_of(html, "year")) == (
        "25",
        "3",
        "1941",
    )
    assert "<title>Error:" in html


def test_a_typo_in_the_code_is_a_field_message_before_any_lookup(client, db, citizen):
    typo = citizen.code[:-1] + ("2" if citizen.code[-1] != "2" else "3")
    response = _post(client, typo.lower())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "typing error" in html and 'id="code-error"' in html
    assert value_of(html, "code") == typo.lower()
    assert db.scalars(select(AuditRecord).where(AuditRecord.action == "sign_in_failed")).all() == []


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("", "", "", "Enter your date of birth"),
        ("24", "", "1941", "Enter your date of birth"),
        ("ab", "3", "1941", "must be numbers"),
        ("24", "3", "941", "year with 4 digits"),
        ("24", "3", "19411", "year with 4 digits"),
        ("24", "3", "62", "year with 4 digits, for example 1962"),
        ("30", "2", "1941", "real date"),
        ("24", "13", "1941", "real date"),
        ("24", "3", "1850", "real date"),
        ("24", "3", "2999", "real date"),
        ("-1", "3", "1941", "must be numbers"),
        ("²", "3", "1941", "must be numbers"),
        ("٢٤", "3", "1941", "must be numbers"),
    ],
)
def test_bad_dates_get_a_message_and_are_kept(client, db, citizen, day, month, year, expected):
    response = _post(client, citizen.code, day=day, month=month, year=year)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(expected in item for item in summary(html)), summary(html)
    assert value_of(html, "code") == citizen.code
    assert (value_of(html, "day") or "", value_of(html, "month") or "") == (day, month)
    assert db.scalars(select(AuditRecord)).all() == []


def test_five_wrong_dates_lock_the_code_and_the_page_says_until_when(client, db, citizen):
    for _ in range(4):
        assert "code or the date" in _post(client, citizen.code, day="1").get_data(as_text=True)
    html = _post(client, citizen.code, day="1").get_data(as_text=True)
    db.expire_all()
    until = db.get(Citizen, citizen.id).code_locked_until
    local = until.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert format_time(local, "short", locale="en_GB") in html
    assert "too many wrong attempts" in html
    # The right date of birth is refused while the code is locked.
    html = _post(client, citizen.code).get_data(as_text=True)
    assert "too many wrong attempts" in html
    assert client.get("/citizen/").status_code == 302


@pytest.mark.parametrize(
    ("utc_hour", "said"),
    [
        (21, "You can try again after 22:15, or call us"),  # 22:00 in Copenhagen: today
        (22, "You can try again on 24 November 2026 after 00:05, or call us"),  # past midnight
    ],
)
def test_a_pause_past_midnight_names_its_day(client, db, citizen, clock, utc_hour, said):
    # A pause may last hours (each in a row doubles): "after 00:05" alone would be read as
    # tonight's. The date is said when the pause ends on another day.
    minute = 0 if utc_hour == 21 else 50
    clock.set(datetime(2026, 11, 23, utc_hour, minute, tzinfo=UTC))
    for _ in range(4):
        _post(client, citizen.code, day="1")
    html = " ".join(_post(client, citizen.code, day="1").get_data(as_text=True).split())
    assert said in html


def test_staff_wrong_password_keeps_the_email_and_never_echoes_the_password(client, db):
    user = make_user(db)
    db.commit()
    response = client.post(
        "/sign-in/staff", data={"email": user.email, "password": "hunter2-secret"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert summary(html) == ["The email address or password is not right."]
    assert value_of(html, "email") == user.email
    assert value_of(html, "password") is None and "hunter2-secret" not in html
    unknown = client.post("/sign-in/staff", data={"email": "nobody@x.example", "password": "x"})
    assert summary(unknown.get_data(as_text=True)) == summary(html)


def test_staff_sign_in_lands_on_the_roles_home(client, db):
    for role, home in (
        ("coordinator", "/coordinator/citizens"),
        ("locksmith", "/locksmith/"),
        ("provider_admin", "/staff"),
        ("owner", "/owner/"),
    ):
        c = english_client(client.application)
        assert sign_in_staff(c, make_user(db, role)).location == home


@pytest.mark.parametrize(
    ("next_url", "lands"),
    [
        ("/coordinator/import", "/coordinator/import"),
        ("https://evil.example/", "/coordinator/citizens"),
        ("//evil.example/", "/coordinator/citizens"),
        ("/\\evil.example", "/coordinator/citizens"),
        ("/\t/evil.example", "/coordinator/citizens"),
        ("javascript:alert(1)", "/coordinator/citizens"),
        ("coordinator/import", "/coordinator/citizens"),
    ],
)
def test_sign_in_follows_only_local_next_urls(client, db, next_url, lands):
    user = make_user(db)
    db.commit()
    response = client.post(
        "/sign-in/staff",
        query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 303 and response.location == lands


def test_a_relative_declares_themself_and_is_named_on_every_page(client, db, citizen):
    declared = {"name": "Rita <b>Relativ</b>", "phone": "20 30 40 50", "relation": "grandchild"}
    sign_in_citizen(client, citizen, relative=declared)
    html = client.get("/citizen/").get_data(as_text=True)
    assert "Rita &lt;b&gt;Relativ&lt;/b&gt;" in html and "<b>Relativ" not in html
    assert f"on behalf of {citizen.name}" in html
    rel = db.scalars(select(Relative)).one()
    assert (rel.phone, rel.relation) == ("+4520304050", "grandchild")


def test_a_relative_with_a_bad_phone_gets_a_message_and_keeps_the_form(client, db, citizen):
    response = _post(
        client, citizen.code, url="/sign-in/relative", name="Rita", phone="123", relation="child"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "phone number" in html
    assert (value_of(html, "name"), value_of(html, "phone")) == ("Rita", "123")
    assert db.scalars(select(Relative)).all() == []


def _fresh_client(fresh, addr="127.0.0.1"):
    return english_client(fresh, addr)


def test_the_per_code_rate_limit_holds_across_clients_and_spellings(make_app, citizen):
    fresh = make_app(CITIZEN_CODE_LIMIT="3 per minute", CITIZEN_SIGNIN_LIMIT="100 per minute")
    spellings = [
        citizen.code,
        grouped(citizen.code).lower(),
        grouped(citizen.code).replace("-", "\u2013"),
    ]
    for n, code in enumerate(spellings):
        assert _post(_fresh_client(fresh, f"10.0.0.{n}"), code, day="1").status_code == 200
    for code in (citizen.code, grouped(citizen.code).replace("-", ".")):
        limited = _post(_fresh_client(fresh, "10.0.0.9"), code, day="1")
        assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "Too many attempts" in html and 'class="skipnav"' in html
    assert int(limited.headers["Retry-After"]) > 0
    # Another code from the same client is still let through.
    assert _post(_fresh_client(fresh, "10.0.0.9"), generate()).status_code == 200


def test_the_per_client_rate_limit_holds_across_codes(make_app, citizen):
    fresh = make_app(CITIZEN_SIGNIN_LIMIT="3 per minute", CITIZEN_CODE_LIMIT="100 per minute")
    client = _fresh_client(fresh, "10.0.1.1")
    for _ in range(3):
        assert _post(client, generate()).status_code == 200
    assert _post(client, generate()).status_code == 429
    # The relative page shares the budget: switching pages does not reset it.
    assert _post(client, generate(), url="/sign-in/relative").status_code == 429
    assert _post(_fresh_client(fresh, "10.0.1.2"), generate()).status_code == 200


def test_the_staff_sign_in_is_rate_limited(make_app, db):
    fresh = make_app(STAFF_SIGNIN_LIMIT="2 per minute")
    client = _fresh_client(fresh)
    for _ in range(2):
        assert (
            client.post(
                "/sign-in/staff", data={"email": "a@b.example", "password": "x"}
            ).status_code
            == 200
        )
    assert (
        client.post("/sign-in/staff", data={"email": "a@b.example", "password": "x"}).status_code
        == 429
    )


@pytest.mark.parametrize(
    ("lang", "asked", "told"),
    [
        (
            "da",
            "Har I allerede en konto?",
            "Brug den e-mailadresse og adgangskode, I valgte, da I tog imod invitationen",
        ),
        (
            "sv",
            "Har ni redan ett konto?",
            "Använd den e-postadress och det lösenord ni valde när ni tackade ja till inbjudan",
        ),
    ],
)
def test_the_owner_sign_in_speaks_to_the_organisation_throughout(app, lang, asked, told):
    """The owner's page says "I" / "ni" (the organisation) everywhere: the answer to "Har I
    allerede en konto?" said "du valgte, da du tog imod"."""
    client = english_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    page = client.get("/sign-in/owner").get_data(as_text=True)
    assert asked in page and told in page
