"""Districts, providers, care groups, and the dated provider assignment of each citizen."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

care_group_districts = Table(
    "care_group_district",
    db.metadata,
    Column("care_group_id", ForeignKey("care_group.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class District(db.Model):
    """An area of the municipality, served by care groups and fitted in one campaign wave."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Deactivated districts stay for history; imports and new care groups no longer use them.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def __repr__(self) -> str:
        return f"<District {self.name}>"


class Provider(db.Model):
    """A home-care provider, municipal or private."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="municipal")
    contact_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    care_groups: Mapped[list["CareGroup"]] = relationship(back_populates="provider")


class CareGroup(db.Model):
    """A team of a provider serving districts; a night patrol serves its districts at night."""

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    night_patrol: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    provider: Mapped[Provider] = relationship(back_populates="care_groups")
    districts: Mapped[list[District]] = relationship(secondary=care_group_districts)


class ProviderAssignment(db.Model):
    """A dated change of a citizen's provider: from `effective_from` on, this provider (and care
    group) serves, until the next assignment of the same citizen takes effect.

    An assignment without a provider is an end: from that date nobody serves the citizen (they
    moved away, their care ended or they died), so no door is derived for them any more.

    The only record of a citizen's provider: read it through `portal.directory.queries`.
    """

    __table_args__ = (UniqueConstraint("citizen_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), nullable=True)
    care_group_id: Mapped[int | None] = mapped_column(ForeignKey("care_group.id"), nullable=True)
    effective_from: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    provider: Mapped[Provider | None] = relationship()
    care_group: Mapped[CareGroup | None] = relationship()


class MunicipalitySetting(db.Model):
    """One of the municipality's own texts (name, phone, hours, signature...), set by a
    coordinator; a value per language is a JSON object. Overrides the config default."""

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    # Only the logo: the uploaded image itself (value holds its media type and checksum).
    blob: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
