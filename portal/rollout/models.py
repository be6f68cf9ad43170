"""Roll-out geography: districts (campaigns join them in the booking work)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class District(db.Model):
    """An area of the municipality, served by care groups and fitted in one campaign wave."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    def __repr__(self) -> str:
        return f"<District {self.name}>"
