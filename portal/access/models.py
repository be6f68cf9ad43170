"""Providers, care groups (who serves which district) and lock units (staff and devices join)."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
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


class LockUnit(db.Model):
    """A motorised thumb-turn at a citizen's door, or a unit at a building entrance."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lock_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="door")
    public_key_pem: Mapped[str] = mapped_column(Text)
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizen.id"), nullable=True, index=True
    )
    entrance_id: Mapped[int | None] = mapped_column(
        ForeignKey("entrance.id"), nullable=True, index=True
    )
    battery: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime)
