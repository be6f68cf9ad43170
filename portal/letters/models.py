"""Letter batches and the letters sent to each citizen (which letter, when it was posted)."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.db_types import UTCDateTime
from portal.extensions import db

# queued -> running -> done -> posted; running -> cancelled or interrupted (the run failed);
# cancelled, interrupted or done with failures -> queued again (resume). A running batch whose
# heartbeat has gone quiet (the server stopped) is shown as interrupted and can be resumed.
BATCH_STATUSES = ("queued", "running", "cancelled", "interrupted", "done", "posted")
# A letter is "skipped" when, at render time, its citizen no longer meets the rule that chose
# them (booked, opted out, care ended, moved out of the district ...); `error` holds the reason.
LETTER_STATUSES = ("pending", "done", "failed", "skipped")
KINDS = ("information", "booking_confirmation")


class LetterBatch(db.Model):
    """Letters for a district or campaign, rendered in the background into one folder."""

    __tablename__ = "letter_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="information")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), nullable=True)
    # Campaigns live in the roll-out feature; kept as a plain id so letters do not depend on it.
    campaign_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scope_label: Mapped[str] = mapped_column(String(200))
    only_new: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    directory: Mapped[str] = mapped_column(String(500), default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    run_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    run_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    run_done_at_start: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    merged_pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    merged_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    district = relationship("District")
    letters: Mapped[list["Letter"]] = relationship(back_populates="batch")

    def __repr__(self) -> str:
        return f"<LetterBatch {self.id} {self.status}>"


class Letter(db.Model):
    """One letter to one citizen: in a batch, or a single reprint recorded as posted."""

    __tablename__ = "letter"
    __table_args__ = (
        UniqueConstraint("batch_id", "citizen_id"),
        # A batch's letters are paged in postal order.
        Index("ix_letter_batch_position", "batch_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter_batch.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(30), default="information")
    position: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  # why failed or skipped
    filename: Mapped[str | None] = mapped_column(String(120), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # What was printed in the window, kept for the manifest and the record of what was sent.
    recipient_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    recipient_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    batch: Mapped[LetterBatch | None] = relationship(back_populates="letters")
    citizen = relationship("Citizen")

    def __repr__(self) -> str:
        return f"<Letter {self.id} {self.kind} {self.status}>"
