"""Who is signed in: staff/owner accounts are Users; citizens and relatives are principals."""

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import Actor
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen, Relative
from portal.connections import ASK_PREPARED


class CitizenPrincipal(UserMixin):
    """A citizen, or a relative acting for them, signed in with the letter code."""

    kind = "citizen"
    role = "citizen"

    def __init__(self, citizen: Citizen, relative: Relative | None = None):
        self.citizen = citizen
        self.relative = relative

    def get_id(self) -> str:
        rel = self.relative.id if self.relative else 0
        version = (self.relative or self.citizen).session_version
        return f"c:{self.citizen.id}:{rel}:{version}"

    @property
    def is_relative(self) -> bool:
        return self.relative is not None

    @property
    def display_name(self) -> str:
        return self.relative.name if self.relative else self.citizen.name

    @property
    def actor(self) -> Actor:
        """Everything a relative does is recorded as done by them on the citizen's behalf."""
        if self.relative is not None:
            return Actor(
                "relative",
                self.relative.id,
                self.relative.name,
                on_behalf_of=f"citizen:{self.citizen.id}",
            )
        return Actor("citizen", self.citizen.id, on_behalf_of=f"citizen:{self.citizen.id}")


class Anonymous(AnonymousUserMixin):
    """Nobody signed in."""

    kind = "anonymous"
    role = "anonymous"


def load_principal(session: Session, ident: str):
    """Resolve a Flask-Login id; a stale session version (signed out) resolves to nobody.

    Every signed-in request looks its principal up by primary key: prepared on PostgreSQL."""
    try:
        parts = ident.split(":")
        if parts[0] == "u" and len(parts) == 3:
            user = session.get(User, int(parts[1]), execution_options=ASK_PREPARED)
            if user and user.active and user.session_version == int(parts[2]):
                return user
        elif parts[0] == "c" and len(parts) == 4:
            citizen = session.get(Citizen, int(parts[1]), execution_options=ASK_PREPARED)
            if citizen is None or citizen.status == CitizenStatus.CARE_ENDED:
                return None
            rel_id, version = int(parts[2]), int(parts[3])
            if rel_id:
                rel = session.get(Relative, rel_id, execution_options=ASK_PREPARED)
                if rel and rel.citizen_id == citizen.id and rel.session_version == version:
                    return CitizenPrincipal(citizen, rel)
            elif citizen.session_version == version:
                return CitizenPrincipal(citizen)
    except (ValueError, IndexError):
        return None
    return None
