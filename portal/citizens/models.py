"""The citizen register: citizens with a key agreement, their relatives, and import batches."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.citizens.folding import FIELDS, search_document
from portal.citizens.lifecycle import CitizenStatus
from portal.db_types import UTCDateTime
from portal.extensions import db

_STATUS_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in CitizenStatus))


class Citizen(db.Model):
    """A citizen with a key agreement. The national id is kept only encrypted.

    The provider and care group are not columns: they are the dated assignment in force on a
    date (`portal.directory.queries`).
    """

    # The not-booked and bookable lists ask for a district's citizens in some statuses.
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    national_id_enc: Mapped[str] = mapped_column(String(200))
    national_id_index: Mapped[str] = mapped_column(String(64), unique=True)
    national_id_masked: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    language: Mapped[str] = mapped_column(String(5), default="da")
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("property.id"), nullable=True)
    emergency_alarm: Mapped[bool] = mapped_column(Boolean, default=False)
    # Written only by portal.citizens.lifecycle; the CHECK refuses values it does not know.
    status: Mapped[str] = mapped_column(String(20), default=CitizenStatus.REGISTERED)
    letter_code_enc: Mapped[str] = mapped_column(String(200))
    letter_code_index: Mapped[str] = mapped_column(String(64), unique=True)
    code_failures: Mapped[int] = mapped_column(Integer, default=0)
    code_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    # The folded fields the search indexes (portal.citizens.folding), written with every change
    # of them (below); the indexes on it are portal.citizens.search's.
    search_doc: Mapped[str] = mapped_column(Text, default="", server_default="")

    district = relationship("District")
    relatives: Mapped[list["Relative"]] = relationship(back_populates="citizen")

    __table_args__ = (
        CheckConstraint(_STATUS_SQL, name="status"),
        Index("ix_citizen_district_status", "district_id", "status"),
        # The register's order (name, then id) and its status filter read these in order, so a
        # page is an index walk, not a sort of every match. Text search: portal.citizens.search.
        Index("ix_citizen_name_id", "name", "id"),
        Index("ix_citizen_status_name", "status", "name", "id"),
        # A search for a date ("090935", "09-09-1935") finds those born that day by this index.
        Index("ix_citizen_date_of_birth", "date_of_birth"),
    )

    def __repr__(self) -> str:
        return f"<Citizen {self.id}>"


@event.listens_for(Citizen, "before_insert")
@event.listens_for(Citizen, "before_update")
def _fold_search_document(_mapper, _connection, citizen: Citizen) -> None:
    citizen.search_doc = search_document(citizen)


@event.listens_for(db.session.session_factory.class_, "do_orm_execute")
def _refuse_unfolded_updates(state) -> None:
    """An UPDATE statement that sets a searched field skips the ORM's unit of work and so the
    folded search document: refuse it, so the search never silently drifts from the row."""
    mapper = state.bind_mapper
    if not state.is_update or mapper is None or mapper.class_ is not Citizen:
        return
    keys = {getattr(c, "key", c) for c in state.statement._values or {}}
    if keys & set(FIELDS) and "search_doc" not in keys:
        raise ValueError("update citizens' searched fields through the ORM (search_doc)")


class Relative(db.Model):
    """Someone who acts on a citizen's behalf; declared at sign-in with the citizen's code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))
    relation: Mapped[str] = mapped_column(String(40))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    citizen: Mapped[Citizen] = relationship(back_populates="relatives")


class ImportBatch(db.Model):
    """An uploaded CSV kept between preview and confirmation (any worker may confirm it).

    `content` is the file sealed with the field keyring (AES-GCM, as national ids are), never
    the file in clear, and only while the preview needs it: it is deleted (NULL, with
    `content_deleted_at`) when the import is confirmed, abandoned or a day old.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    content_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # What the file holds: "citizens", or "properties" (the consent register's import).
    kind: Mapped[str] = mapped_column(String(20), default="citizens", server_default="citizens")
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # previewed -> importing -> imported; or abandoned / expired (the file deleted unused).
    status: Mapped[str] = mapped_column(String(20), default="previewed")
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
