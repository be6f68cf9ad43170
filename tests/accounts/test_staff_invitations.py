"""Adding a locksmith or coordinator with an invitation (services, no HTTP): the account, the
e-mail in the chosen language through the outbox, the hashed single-use token that expires,
a new invitation voiding the old one, and the audit records."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts import invitations
from portal.accounts.models import StaffInvitation, User
from portal.accounts.passwords import check_password
from portal.audit.models import AuditRecord
from portal.notify.models import OutboxMessage
from tests.factories import NOW, make_user

LINK = re.compile(r"/sign-in/invitation/([A-Za-z0-9_-]+)")


def _invite(app, db, boss, email="lone.smed@kommune.example", role="locksmith", lang="da"):
    return invitations.invite_staff(
        db,
        boss,
        name="Lone Smed",
        email=email,
        role=role,
        language=lang,
        now=NOW,
        config=app.config,
    )


@pytest.fixture
def boss(db):
    return make_user(db, "coordinator")


def test_an_invited_locksmith_gets_an_account_and_an_email_in_their_language(app, db, boss):
    user, token = _invite(app, db, boss, email="  Lone.Smed@Kommune.Example ", lang="sv")
    db.commit()
    assert (user.role, user.email, user.active) == ("locksmith", "lone.smed@kommune.example", True)
    message = db.scalars(select(OutboxMessage)).one()
    assert message.to_address == user.email and message.kind == "staff_invitation"
    assert "Låssmed" in message.body or "låssmed" in message.body  # Swedish
    assert LINK.search(message.body).group(1) == token
    stored = db.scalars(select(StaffInvitation)).one()
    assert stored.token_hash == invitations.token_hash(token) and token not in stored.token_hash
    assert stored.expires_at == NOW + timedelta(hours=72) and stored.language == "sv"
    actions = db.scalars(select(AuditRecord.action)).all()
    assert "staff_invited" in actions
    # Nobody knows the account's password until the link sets one.
    assert not check_password(user.password_hash, "")
    assert invitations.awaiting(db, [user.id]) == {user.id: NOW + timedelta(hours=72)}


def test_the_email_names_the_app_only_when_the_role_needs_one(app, db, boss, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("coordinator",))
    _invite(app, db, boss, email="a@kommune.example", role="locksmith", lang="en")
    _invite(app, db, boss, email="b@kommune.example", role="coordinator", lang="en")
    bodies = {m.to_address: m.body for m in db.scalars(select(OutboxMessage))}
    assert "authenticator app" not in bodies["a@kommune.example"]
    assert "authenticator app" in bodies["b@kommune.example"]
    assert "Lone Smed" in bodies["b@kommune.example"] and boss.name in bodies["b@kommune.example"]


def test_a_taken_email_in_any_case_is_refused(app, db, boss):
    with pytest.raises(invitations.EmailInUse):
        _invite(app, db, boss, email=boss.email.upper())
    assert db.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("role", ["provider_admin", "partner_admin", "owner", "admin"])
def test_only_locksmiths_and_coordinators_are_added_here(app, db, boss, role):
    with pytest.raises(ValueError):
        _invite(app, db, boss, role=role)


def test_the_link_sets_the_password_once(app, db, boss):
    user, token = _invite(app, db, boss)
    version = user.session_version
    invitations.accept(db, token, "a long enough secret", now=NOW + timedelta(hours=1))
    db.commit()
    assert check_password(user.password_hash, "a long enough secret")
    assert user.session_version == version + 1
    with pytest.raises(invitations.InvitationUsed):
        invitations.accept(db, token, "another long secret", now=NOW + timedelta(hours=2))
    assert check_password(user.password_hash, "a long enough secret")
    assert invitations.awaiting(db, [user.id]) == {}
    assert "staff_invitation_accepted" in db.scalars(select(AuditRecord.action)).all()


def test_the_link_expires_after_72_hours_by_the_given_clock(app, db, boss):
    _user, token = _invite(app, db, boss)
    last = NOW + timedelta(hours=72) - timedelta(seconds=1)
    assert invitations.check(db, token, now=last).user_id == _user.id
    with pytest.raises(invitations.InvitationExpired):
        invitations.check(db, token, now=NOW + timedelta(hours=72))
    with pytest.raises(invitations.InvitationExpired):
        invitations.accept(db, token, "a long enough secret", now=NOW + timedelta(days=365))


def test_a_new_invitation_voids_the_old_link(app, db, boss):
    user, old = _invite(app, db, boss, lang="sv")
    new = invitations.reinvite(db, user, boss, now=NOW + timedelta(days=5), config=app.config)
    assert new != old
    with pytest.raises(invitations.InvitationVoided):
        invitations.check(db, old, now=NOW + timedelta(days=5))
    assert invitations.check(db, new, now=NOW + timedelta(days=7)).language == "sv"
    assert len(db.scalars(select(OutboxMessage)).all()) == 2
    assert "staff_reinvited" in db.scalars(select(AuditRecord.action)).all()


def test_no_new_invitation_once_the_password_is_chosen(app, db, boss):
    user, token = _invite(app, db, boss)
    invitations.accept(db, token, "a long enough secret", now=NOW)
    with pytest.raises(invitations.InvitationUsed):
        invitations.reinvite(db, user, boss, now=NOW, config=app.config)
    never_invited = make_user(db, "locksmith")
    with pytest.raises(invitations.InvitationUsed):
        invitations.reinvite(db, never_invited, boss, now=NOW, config=app.config)


def test_no_new_invitation_for_a_switched_off_account(app, db, boss):
    # The button is hidden for it, but a stale or forged POST must not send a link that
    # check() would refuse while the page says "sent".
    user, token = _invite(app, db, boss)
    user.active = False
    with pytest.raises(invitations.AccountSwitchedOff):
        invitations.reinvite(db, user, boss, now=NOW, config=app.config)
    assert len(db.scalars(select(OutboxMessage)).all()) == 1  # only the first invitation
    assert "staff_reinvited" not in db.scalars(select(AuditRecord.action)).all()


@pytest.mark.parametrize("guess", ["", "x", "A" * 43, "A" * 5000, "../../etc", "' OR 1=1 --"])
def test_a_guessed_or_mangled_token_is_unknown(app, db, boss, guess):
    _user, token = _invite(app, db, boss)
    with pytest.raises(invitations.InvitationUnknown):
        invitations.check(db, guess, now=NOW)
    with pytest.raises(invitations.InvitationUnknown):
        invitations.check(db, token[:-1], now=NOW)  # one character short
    with pytest.raises(invitations.InvitationUnknown):
        invitations.check(db, invitations.token_hash(token), now=NOW)  # the stored hash


def test_a_switched_off_account_cannot_use_its_link(app, db, boss):
    user, token = _invite(app, db, boss)
    user.active = False
    with pytest.raises(invitations.InvitationVoided):
        invitations.accept(db, token, "a long enough secret", now=NOW)
    assert db.scalar(select(User.id).where(User.id == user.id))


@pytest.mark.parametrize(
    ("lang", "until"),
    [("da", r"indtil \d+\. \w+ \d{4} kl\. \d\d\.\d\d:"), ("sv", r"fram till \d+ \w+ \d{4} kl\. ")],
)
def test_the_links_end_reads_as_a_date_at_a_time(app, db, boss, lang, until):
    """'indtil 8. december 2026 kl. 20.19', not '... 2026 20.19' (a date and a time with
    nothing between them read as one long number)."""
    _invite(app, db, boss, lang=lang)
    body = db.scalars(select(OutboxMessage)).one().body
    assert re.search(until, body), body
