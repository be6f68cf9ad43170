"""Third-party access to the stairwell: partner categories, partner companies approved by the
municipality per category, the weekday windows an owner opens an entrance in, and the
companies an owner has blocked.

A partner's staff member may open entrance E at time T when E has a fitted unit, its consent
stands (`entrance_open_on`), E is opted in to a category C with a window around T (local
weekday and time), the company is active and approved in C, and E's owner has not blocked it.
`portal.access.partner_keys` is the one place that reads this rule; a partner is never given a
citizen's front door.
"""

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.consent.register_models import in_sql
from portal.db_types import UTCDateTime
from portal.extensions import db


class PartnerCategory(StrEnum):
    """The kinds of errand the municipality lets partners in for."""

    POST = "post"
    PARCELS = "parcels"
    NEWSPAPERS = "newspapers"
    PHARMACY = "pharmacy"
    MEAL_BOXES = "meal_boxes"


class CompanyStatus(StrEnum):
    """A company the municipality has suspended gets no keys anywhere."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class PartnerCompany(db.Model):
    """A company (post, parcels, ...) with its own admin, staff and phones."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    org_number: Mapped[str | None] = mapped_column(String(20), nullable=True, unique=True)
    contact_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=CompanyStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approvals: Mapped[list["PartnerApproval"]] = relationship(
        back_populates="company", order_by="PartnerApproval.category"
    )

    __table_args__ = (CheckConstraint(in_sql("status", CompanyStatus), name="status"),)

    @property
    def active(self) -> bool:
        """Not suspended by the municipality."""
        return self.status == CompanyStatus.ACTIVE

    @property
    def categories(self) -> list[str]:
        """The categories the company is approved in."""
        return [a.category for a in self.approvals]


class PartnerApproval(db.Model):
    """The municipality approves a company in one category."""

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("partner_company.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    company: Mapped[PartnerCompany] = relationship(back_populates="approvals")

    __table_args__ = (
        UniqueConstraint("company_id", "category"),
        CheckConstraint(in_sql("category", PartnerCategory), name="category"),
    )


class PartnerWindow(db.Model):
    """An owner opens an entrance to one category on a weekday between two local times."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entrance_id: Mapped[int] = mapped_column(ForeignKey("entrance.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 Monday .. 6 Sunday
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    entrance = relationship("Entrance")

    __table_args__ = (
        UniqueConstraint("entrance_id", "category", "weekday"),
        CheckConstraint(in_sql("category", PartnerCategory), name="category"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="starts_before_ends"),
    )


class PartnerBlock(db.Model):
    """An owner organisation has blocked a company from every one of its entrances."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("partner_company.id"), index=True)
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    company = relationship("PartnerCompany")

    __table_args__ = (UniqueConstraint("owner_id", "company_id"),)
