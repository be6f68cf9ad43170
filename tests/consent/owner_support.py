"""Arranging the owner's side: an organisation with buildings, a request with a code, a signer."""

from datetime import time

from flask import current_app

from portal.audit.services import SYSTEM
from portal.consent import terms
from portal.consent.decision_support import Signature, Window
from portal.consent.decisions import Decider
from portal.consent.invitations import issue_request
from tests.factories import NOW, make_owner, make_property, make_user


def terms_now(lang="da") -> str:
    """The terms text in force for a language."""
    config = current_app.config
    return terms.terms_text(
        lang, config["MUNICIPALITY_NAME"], config.get("CONSENT_NOTICE_DAYS", 30)
    )


def signature(lang="da", **overrides) -> Signature:
    """A complete typed signature on the current terms."""
    data = {
        "name": "Hanne Hansen",
        "role": "Formand",
        "may_sign": True,
        "typed": terms.confirmation_phrase(lang),
        "terms_hash": terms.terms_hash(terms_now(lang)),
        "lang": lang,
    }
    return Signature(**(data | overrides))


WINDOWS = [Window(0, time(9), time(12)), Window(3, time(13), time(15))]


class Org:
    """An owner organisation with two buildings (2 + 1 entrances), an owner account and a
    request naming both buildings."""

    def __init__(self, session, keyring, *, lang="da", now=NOW, days=30, email=True):
        self.org = make_owner(session, language=lang, **({} if email else {"email": None}))
        self.first = make_property(session, owner=self.org, entrances=2)
        self.second = make_property(session, owner=self.org, entrances=1)
        self.user = make_user(session, "owner", owner_organisation_id=self.org.id)
        self.request, self.code = issue_request(
            session,
            keyring,
            self.org,
            [self.first, self.second],
            now=now,
            actor=SYSTEM,
            days=days,
        )
        for p in (self.first, self.second):
            for e in p.entrances:
                e.consent_status = "requested"
        session.flush()
        self.who = Decider(self.user.id, self.org.id, self.user.actor)

    @property
    def entrances(self):
        return [*self.first.entrances, *self.second.entrances]
