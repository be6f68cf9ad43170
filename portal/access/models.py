"""Providers and their care groups: who serves which district (staff and devices join later)."""

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

care_group_districts = Table(
    "care_group_district",
    db.metadata,
    Column("care_group_id", ForeignKey("care_group.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class Provider(db.Model):
    """A home-care provider, municipal or private."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="municipal")
    care_groups: Mapped[list["CareGroup"]] = relationship(back_populates="provider")


class CareGroup(db.Model):
    """A team of a provider serving districts; a night patrol serves its districts at night."""

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    night_patrol: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[Provider] = relationship(back_populates="care_groups")
    districts = relationship("District", secondary=care_group_districts)
