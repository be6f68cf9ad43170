"""Lock units, staff (with their care groups), devices, enrolment codes.

Shift keys, bulletins and issuer keys live in `models_keys`, lock events and visits in
`models_events`; both are imported at the bottom so every table registers with this module.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.audit.services import Actor
from portal.db_types import UTCDateTime
from portal.directory.models import CareGroup
from portal.extensions import db

staff_care_groups = Table(
    "staff_care_group",
    db.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("care_group_id", ForeignKey("care_group.id", ondelete="CASCADE"), primary_key=True),
)


UNIT_STATES = ("in_stock", "fitted", "removed", "defective", "in_repair", "scrapped")
PARTS_PLACES = ("home", "depot", "returned")


class LockUnit(db.Model):
    """A motorised thumb-turn at a citizen's door, or a unit at a building entrance.

    `state` is the inventory state (portal.access.inventory is its only writer after
    registration); `active` is kept equal to state == "fitted" by that module, because the
    key derivation reads it.
    """

    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in UNIT_STATES) + ")", name="state"
        ),
    )

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
    battery_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(12), default="fitted", server_default="fitted")
    # Set when a reset (factory keys wiped, firmware checked) is recorded; cleared on fitting.
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Where the door's original thumb-turn and parts are kept while the unit is fitted.
    parts_stored: Mapped[str | None] = mapped_column(String(10), nullable=True)

    citizen = relationship("Citizen")
    entrance = relationship("Entrance")


class Staff(db.Model):
    """A home-care worker who starts shifts in the field app with staff number and PIN."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # A home-care worker belongs to a provider; a partner's courier to a partner company
    # (`portal.consent.partner_models`), never both: partners get entrance-only keys.
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id"), nullable=True, index=True
    )
    partner_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_company.id"), nullable=True, index=True
    )
    staff_number: Mapped[str] = mapped_column(String(32), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    pin_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    blocked_bulletin_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    provider = relationship("Provider")
    partner_company = relationship("PartnerCompany")
    care_groups: Mapped[list[CareGroup]] = relationship(
        secondary=staff_care_groups, order_by="CareGroup.name"
    )
    devices: Mapped[list["Device"]] = relationship(back_populates="staff", order_by="Device.id")

    __table_args__ = (
        CheckConstraint(
            "(provider_id IS NULL) <> (partner_company_id IS NULL)", name="provider_or_partner"
        ),
    )

    @property
    def is_partner(self) -> bool:
        """A partner company's courier (entrance-only keys), not home care."""
        return self.partner_company_id is not None

    @property
    def active(self) -> bool:
        """Not blocked (a PIN lockout only stops new shifts until a coordinator unlocks)."""
        return self.status == "active"

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def actor(self) -> Actor:
        """How the staff member appears in the audit log."""
        return Actor("staff", self.id, f"{self.name} ({self.staff_number})")


class Device(db.Model):
    """A staff member's phone, known by its P-256 device key (the private half never leaves it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    thumbprint: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    blocked_bulletin_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_shift_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Named by the provider admin at enrolment, so a lost phone is found by what is on it.
    label: Mapped[str | None] = mapped_column(String(60), nullable=True)
    model: Mapped[str | None] = mapped_column(String(60), nullable=True)

    staff: Mapped[Staff] = relationship(back_populates="devices")

    @property
    def name(self) -> str:
        """What people call the phone: its label and model, else the start of its key id."""
        named = " – ".join(part for part in (self.label, self.model) if part)
        return named or self.thumbprint[:12]

    @property
    def active(self) -> bool:
        """Not blocked."""
        return self.status == "active"


class EnrolmentCode(db.Model):
    """A one-time code shown in the portal that binds the next device key to a staff member."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), nullable=True)
    label: Mapped[str | None] = mapped_column(String(60), nullable=True)  # given to the device
    model: Mapped[str | None] = mapped_column(String(60), nullable=True)

    staff = relationship("Staff")


from portal.access import (  # noqa: E402, F401  (register tables)
    models_events,
    models_inventory,
    models_keys,
)
