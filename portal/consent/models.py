"""Multi-dwelling properties, their entrances and owner organisations (consent flow comes later)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class OwnerOrganisation(db.Model):
    """A housing association or landlord that owns buildings."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    properties: Mapped[list["Property"]] = relationship(back_populates="owner")


class Property(db.Model):
    """A building with one or more shared entrances."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), nullable=True)
    owner: Mapped[OwnerOrganisation] = relationship(back_populates="properties")
    entrances: Mapped[list["Entrance"]] = relationship(
        back_populates="property", order_by="Entrance.id"
    )


class Entrance(db.Model):
    """A street door or gate where an entrance unit may be fitted with the owner's consent."""

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="street_door")
    consent_status: Mapped[str] = mapped_column(String(20), default="not_requested")
    property: Mapped[Property] = relationship(back_populates="entrances")
