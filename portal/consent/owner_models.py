"""An invitation for a colleague: a second signer of an owner organisation comes in with a
one-time code that a signed-in owner made for them (the letter's code signs in only once)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.consent.decision_models import BlanketConsent
from portal.db_types import UTCDateTime
from portal.extensions import db


class OwnerInvitation(db.Model):
    """A colleague's one-time code (stored as a blind index only: it is shown once)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    code_index: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    invited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    redeemed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)


# One blanket consent in force per organisation, enforced by the database: two signers giving
# it at once cannot both succeed (the second insert fails and is told it exists).
Index(
    "uq_blanket_consent_active_owner",
    BlanketConsent.owner_id,
    unique=True,
    sqlite_where=text("withdrawn_at IS NULL"),
    postgresql_where=text("withdrawn_at IS NULL"),
)
