"""Staff accounts over HTTP: a coordinator adds a locksmith (bad input comes back with what was
typed and a message), the invited person opens the e-mailed link, chooses a password and goes
on to the authenticator app; a used, expired, replaced or guessed link says so in words."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import StaffInvitation, User
from portal.notify.models import OutboxMessage
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

LINK = re.compile(r"http\S*/sign-in/invitation/([A-Za-z0-9_-]+)")
GOOD = {"name": "Lone Smed", "email": "lone.smed@kommune.example", "role": "locksmith"}
ASK = "Ask the coordinator who added you to send you a new invitation."


def _coordinator(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    return client


@pytest.fixture
def boss(app, db, clock):
    return _coordinator(app, db)


def _add(boss, **changes):
    return boss.post("/coordinator/staff-accounts", data={**GOOD, "language": "da", **changes})


def _token(db, to=GOOD["email"]) -> str:
    bodies = db.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.to_address == to)
        .order_by(OutboxMessage.id.desc())
    ).all()
    return LINK.search(bodies[0]).group(1)


def _users(db) -> int:
    return db.scalar(select(func.count(User.id)))


def test_a_coordinator_adds_a_locksmith_who_is_listed_as_invited(boss, db):
    page = boss.get("/coordinator/staff-accounts").get_data(as_text=True)
    assert "Add a staff account" in page
    assert '<option value="da" selected>' in page  # the municipality's language by default
    response = _add(boss, language="en")
    assert response.status_code == 303
    page = boss.get(response.location).get_data(as_text=True)
    assert "Lone Smed is added. An invitation to choose a password has been sent" in page
    row = next(r for r in re.findall(r"<tr data-row>(.*?)</tr>", page, re.S) if "Lone Smed" in r)
    assert "Invited, not yet signed in" in row and "Locksmith" in row
    assert "Send a new invitation" in row
    message = db.scalars(select(OutboxMessage)).one()
    assert message.to_address == GOOD["email"]
    assert "Choose your password with this link" in message.body  # English was chosen


def test_the_setup_checklist_links_to_the_form(boss):
    page = boss.get("/coordinator/setup").get_data(as_text=True)
    assert 'href="/coordinator/staff-accounts#add-staff"' in page
    assert "flask users create" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "L" * 201}, "name", "The name is at most 200 characters"),
        ({"email": "a" * 250 + "@x.dk"}, "email", "The email address is at most 254 characters"),
        ({"email": "not an address"}, "email", "Enter an email address like name@example.org"),
        ({"email": "a@b.dk\r\nBcc: all@x.dk"}, "email", "Enter an email address like"),
        ({"name": "Lone\nSmed"}, "name", "Write it on one line"),
        ({"name": "Lone \u202eSmed"}, "name", "Write it on one line"),
        ({"name": "!!! ..."}, "name", "Write the name in letters"),
        ({"name": ""}, "name", "Enter the full name"),
        ({"role": "provider_admin"}, "role", "Choose whether the new account is a locksmith"),
        ({"role": "owner"}, "role", "Choose whether the new account is a locksmith"),
        ({"role": "<b>coordinator</b>"}, "role", "Choose whether the new account is a locksmith"),
        ({"role": ""}, "role", "Choose whether the new account is a locksmith"),
        ({"language": "de"}, "language", "Choose the language of the invitation e-mail"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_what_was_typed(boss, db, changes, field, message):
    before = _users(db)
    response = _add(boss, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in htmllib.unescape(page)
    assert f'href="#{field}' in page  # the error summary links to the field
    assert "<title>Error:" in page
    assert _users(db) == before and db.scalars(select(OutboxMessage)).all() == []
    kept = {**GOOD, **changes}
    if field != "name" and kept["name"]:
        assert f'value="{kept["name"]}"' in page


def test_hostile_text_is_shown_as_text(boss, db):
    hostile = '<script>alert("x")</script> Åse'
    page = _add(boss, name=hostile, email="no").get_data(as_text=True)
    assert "<script>alert" not in page
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Åse"' in page


def test_a_taken_email_is_refused_in_words_and_the_form_is_kept(boss, db):
    make_user(db, "owner", email="lone.smed@kommune.example")
    db.commit()
    before = _users(db)
    page = _add(boss, email="Lone.Smed@Kommune.Example", role="coordinator").get_data(as_text=True)
    assert "An account already uses this email address." in page
    assert 'value="Lone.Smed@Kommune.Example"' in page and 'value="Lone Smed"' in page
    assert re.search(r'value="coordinator"[^>]*checked', page)
    assert _users(db) == before and db.scalars(select(OutboxMessage)).all() == []


def test_the_invited_locksmith_chooses_a_password_then_sets_up_the_app(app, boss, db, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("coordinator", "locksmith"))
    _add(boss)
    token = _token(db)
    invitee = english_client(app, addr="10.0.0.9")
    opened = invitee.get(f"/sign-in/invitation/{token}")
    assert opened.status_code == 303 and opened.location == "/sign-in/invitation"
    page = invitee.get("/sign-in/invitation").get_data(as_text=True)
    assert "Choose your password" in page and GOOD["email"] in page
    short = invitee.post("/sign-in/invitation", data={"password": "short", "confirm": "short"})
    assert "The password must be 12 to 200 characters" in short.get_data(as_text=True)
    other = invitee.post(
        "/sign-in/invitation", data={"password": "a" * 12, "confirm": "b" * 12}
    ).get_data(as_text=True)
    assert "The two passwords are not the same" in other
    chosen = "grøn hest på taget"
    done = invitee.post("/sign-in/invitation", data={"password": chosen, "confirm": chosen})
    assert done.status_code == 303 and done.location == "/sign-in/second-factor/setup"
    assert "Set up your authenticator app" in invitee.get(done.location).get_data(as_text=True)
    # The link worked once: now it says so, and the password signs in.
    again = english_client(app).get(f"/sign-in/invitation/{token}")
    assert again.status_code == 410
    assert "This invitation has been used already" in again.get_data(as_text=True)
    user = db.scalars(select(User).where(User.email == GOOD["email"])).one()
    fresh = english_client(app, addr="10.0.0.10")
    sign_in_staff(fresh, user, password=chosen)
    listing = boss.get("/coordinator/staff-accounts").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr data-row>(.*?)</tr>", listing, re.S) if user.name in r)
    assert "Invited, not yet signed in" not in row and "Send a new invitation" not in row


def test_without_a_required_app_the_password_signs_in_at_once(app, boss, db):
    _add(boss)
    invitee = english_client(app)
    invitee.get(f"/sign-in/invitation/{_token(db)}")
    chosen = "a sentence I remember"
    done = invitee.post("/sign-in/invitation", data={"password": chosen, "confirm": chosen})
    assert done.status_code == 303 and done.location == "/locksmith/"
    assert "Your password is saved" in invitee.get(done.location).get_data(as_text=True)


def test_an_expired_link_says_so_and_whom_to_ask(app, boss, db, clock):
    _add(boss)
    token = _token(db)
    invitee = english_client(app)
    clock.advance(timedelta(hours=71, minutes=50))
    invitee.get(f"/sign-in/invitation/{token}")  # opened in time ...
    clock.advance(timedelta(minutes=10))
    late = invitee.post("/sign-in/invitation", data={"password": "x" * 12, "confirm": "x" * 12})
    assert late.status_code == 410  # ... and sent too late
    text = late.get_data(as_text=True)
    assert "This invitation has expired." in text and ASK in text
    assert english_client(app).get(f"/sign-in/invitation/{token}").status_code == 410
    user = db.scalars(select(User).where(User.email == GOOD["email"])).one()
    boss = _coordinator(app, db)  # three days on: the first session has timed out
    listing = boss.get("/coordinator/staff-accounts").get_data(as_text=True)
    assert "(the invitation has expired)" in listing
    # A new invitation from the list: the old link is replaced, the new one works.
    assert boss.post(f"/coordinator/staff-accounts/{user.id}/invitation").status_code == 303
    assert "The link in any earlier invitation no longer works" in boss.get(
        "/coordinator/staff-accounts"
    ).get_data(as_text=True)
    old = english_client(app).get(f"/sign-in/invitation/{token}")
    assert old.status_code == 410 and "replaced by a newer one" in old.get_data(as_text=True)
    assert english_client(app).get(f"/sign-in/invitation/{_token(db)}").status_code == 303
    assert db.scalar(select(func.count(StaffInvitation.id))) == 2


def test_no_new_invitation_for_an_account_in_use(boss, db):
    locksmith = make_user(db, "locksmith")
    db.commit()
    response = boss.post(f"/coordinator/staff-accounts/{locksmith.id}/invitation")
    assert response.status_code == 303
    assert "has already chosen a password" in boss.get(response.location).get_data(as_text=True)
    assert db.scalars(select(OutboxMessage)).all() == []


def test_no_new_invitation_for_a_switched_off_account(boss, db):
    _add(boss)
    user = db.scalar(select(User).where(User.email == GOOD["email"]))
    user.active = False
    db.commit()
    response = boss.post(f"/coordinator/staff-accounts/{user.id}/invitation")
    assert response.status_code == 303
    page = boss.get(response.location).get_data(as_text=True)
    assert "is switched off: no invitation was sent" in page
    assert "A new invitation has been sent" not in page
    assert len(db.scalars(select(OutboxMessage)).all()) == 1


def test_guessed_links_are_refused_and_then_slowed_down(app, boss, db):
    _add(boss)
    guesser = english_client(app, addr="10.0.0.66")
    first = guesser.get("/sign-in/invitation/" + "A" * 43)
    assert first.status_code == 404
    assert "This link does not work." in first.get_data(as_text=True)
    assert ASK in first.get_data(as_text=True)
    limit = int(app.config["STAFF_SIGNIN_LIMIT"].split()[0])
    codes = {guesser.get(f"/sign-in/invitation/guess{n}").status_code for n in range(limit)}
    assert codes == {404, 429}
    assert guesser.get("/sign-in/invitation").status_code == 404  # nothing kept from a guess


def test_a_page_left_open_too_long_asks_to_open_the_link_again(app, boss, db, clock):
    _add(boss)
    token = _token(db)
    invitee = english_client(app)
    invitee.get(f"/sign-in/invitation/{token}")
    clock.advance(timedelta(minutes=31))  # the browser keeps the link 30 minutes only
    form = {"password": "x" * 12, "confirm": "x" * 12}
    stale = invitee.post("/sign-in/invitation", data=form)
    assert stale.status_code == 404
    assert "Open the link from the e-mail again." in stale.get_data(as_text=True)
    assert invitee.get(f"/sign-in/invitation/{token}").status_code == 303  # it still works
    assert invitee.post("/sign-in/invitation", data=form).status_code == 303


@pytest.mark.parametrize(
    ("lang", "newest", "ask"),
    [
        (
            "en",
            "Use the link in the newest invitation e-mail.",
            "ask the coordinator who added you",
        ),
        (
            "da",
            "Brug linket i den nyeste invitationsmail.",
            "bed den koordinator, der tilføjede dig, om at sende dig en ny invitation.",
        ),
        (
            "sv",
            "Använd länken i det senaste inbjudningsmejlet.",
            "be samordnaren som lade till dig att skicka en ny inbjudan.",
        ),
    ],
)
def test_a_replaced_link_points_to_the_newest_email(app, boss, db, lang, newest, ask):
    """A link replaced by a new invitation: the newer e-mail is the way on (asking the
    coordinator for yet another one is the fallback); Danish says who added you, not "created"
    you."""
    _add(boss)
    old = _token(db)
    user = db.scalars(select(User).where(User.email == GOOD["email"])).one()
    boss.post(f"/coordinator/staff-accounts/{user.id}/invitation")
    invitee = english_client(app)
    invitee.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    text = htmllib.unescape(invitee.get(f"/sign-in/invitation/{old}").get_data(as_text=True))
    assert newest in text and ask in text
    assert "oprettede dig" not in text


@pytest.mark.parametrize(
    ("lang", "before", "then"),
    [
        (
            "da",
            "vedkommende opsætter en ny app",
            "Derefter opsætter vedkommende en godkendelsesapp, hvis rollen kræver det.",
        ),
        (
            "sv",
            "hen ställer in en ny app",
            "Sedan ställer hen in en autentiseringsapp om rollen kräver det.",
        ),
    ],
)
def test_the_form_speaks_of_the_new_person_as_the_page_does(app, db, clock, lang, before, then):
    """One staff member, one pronoun on the page: Danish "vedkommende", Swedish "hen" (the
    form's help said "de" / "de", they, below a paragraph that says "vedkommende" / "hen")."""
    boss = _coordinator(app, db)
    boss.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    page = htmllib.unescape(boss.get("/coordinator/staff-accounts").get_data(as_text=True))
    assert before in page and then in page
