"""The property register: owner organisations, their properties and the entrances in front.

Who lives behind an entrance is derived, and editable: a citizen whose `property_id` is the
entrance's property needs every entrance of it, unless a coordinator has said otherwise in an
`EntranceCitizen` row (`needed=False` takes a derived citizen off, `needed=True` puts anybody
on). `portal.consent.queries.citizens_behind` is the one place that reads the rule.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.db_types import UTCDateTime
from portal.extensions import db

LANGUAGES = ("da", "sv", "en")


def in_sql(column: str, values) -> str:
    """`column IN ('a', 'b')` for a CHECK constraint."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class EntranceKind(StrEnum):
    """Where an entrance unit may be fitted."""

    STREET_DOOR = "street_door"
    GATE = "gate"
    COURTYARD_DOOR = "courtyard_door"


class DoorPhone(StrEnum):
    """The door-phone at the entrance (the fitter needs to know what is there)."""

    NONE = "none"
    AUDIO = "audio"
    VIDEO = "video"
    UNKNOWN = "unknown"


class PowerSource(StrEnum):
    """How the entrance unit is powered: from the electric strike (12/24 V, max 1 W) or battery."""

    MAINS_12_24V = "mains_12_24v"
    BATTERY = "battery"


class ConsentStatus(StrEnum):
    """The owner's answer for one entrance, as it stands now (decisions keep the history)."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# Statuses still waiting for the owner (the bottleneck board and "all pending in a district").
PENDING_STATUSES = (ConsentStatus.NOT_REQUESTED, ConsentStatus.REQUESTED)


class OwnerOrganisation(db.Model):
    """A housing association or landlord that owns buildings."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    contact_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    postal_address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postcode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # CVR (DK) or organisationsnummer (SE); NULLs do not collide in a unique constraint.
    org_number: Mapped[str | None] = mapped_column(String(20), nullable=True, unique=True)
    language: Mapped[str] = mapped_column(String(5), default="da")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    properties: Mapped[list["Property"]] = relationship(back_populates="owner")

    __table_args__ = (CheckConstraint(in_sql("language", LANGUAGES), name="language"),)


class Property(db.Model):
    """A building with one or more shared entrances.

    A sale changes `owner_id` and `owner_since`; a request or decision remembers the owner it
    was made with, so one made with the seller is recognised (`ConsentRequest.owner_id`).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    owner_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The land register's number (matrikel / fastighetsbeteckning): the import's key.
    property_number: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200), index=True)
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    owner: Mapped[OwnerOrganisation] = relationship(back_populates="properties")
    district = relationship("District")
    entrances: Mapped[list["Entrance"]] = relationship(
        back_populates="property", order_by="Entrance.id"
    )


class Entrance(db.Model):
    """A street door, gate or courtyard door where a unit may be fitted with the owner's consent.

    `consent_status` is the current answer; every change goes through the consent services,
    which write a `ConsentDecision` too. `version` makes two signers deciding at once leave one
    decision: the second UPDATE finds the version gone and fails (StaleDataError).
    `consent_ends_on` is the day door rights end after a withdrawal with notice.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=EntranceKind.STREET_DOOR)
    door_phone: Mapped[str] = mapped_column(String(10), default=DoorPhone.UNKNOWN)
    electric_strike: Mapped[bool] = mapped_column(Boolean, default=False)
    power_source: Mapped[str | None] = mapped_column(String(20), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    consent_status: Mapped[str] = mapped_column(
        String(20), default=ConsentStatus.NOT_REQUESTED, index=True
    )
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    consent_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    property: Mapped[Property] = relationship(back_populates="entrances")

    __table_args__ = (
        CheckConstraint(in_sql("kind", EntranceKind), name="kind"),
        CheckConstraint(in_sql("door_phone", DoorPhone), name="door_phone"),
        CheckConstraint(
            f"power_source IS NULL OR {in_sql('power_source', PowerSource)}", name="power_source"
        ),
        CheckConstraint(in_sql("consent_status", ConsentStatus), name="consent_status"),
    )
    __mapper_args__ = {"version_id_col": version}


class EntranceCitizen(db.Model):
    """A coordinator's correction of who lives behind an entrance (see the module docstring)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entrance_id: Mapped[int] = mapped_column(ForeignKey("entrance.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    needed: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    changed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (UniqueConstraint("entrance_id", "citizen_id"),)
