"""What a booking carries besides its slot: the access details and the booking reference."""

import secrets
from dataclasses import asdict, dataclass

from portal.booking.models import Appointment
from portal.citizens.letter_codes import ALPHABET

OPENERS = ("self", "relative", "home_care")


@dataclass
class AccessDetails:
    """What the locksmith needs to get in: who opens, whom to call, codes, interpreter, notes."""

    opener: str = "self"
    call_phone: str | None = None
    door_code: str | None = None
    interpreter: bool = False
    interpreter_language: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> "AccessDetails":
        """Build from a plain dict (as kept in the session), ignoring unknown keys."""
        data = data or {}
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})

    @classmethod
    def of(cls, appointment: Appointment) -> "AccessDetails":
        """The details stored on an appointment."""
        return cls(**{k: getattr(appointment, k) for k in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        """A plain dict for the session."""
        return asdict(self)

    def apply(self, appointment: Appointment) -> None:
        """Copy onto an appointment (an unknown opener becomes "self")."""
        appointment.opener = self.opener if self.opener in OPENERS else "self"
        appointment.call_phone = self.call_phone or None
        appointment.door_code = (self.door_code or "").strip()[:40] or None
        appointment.interpreter = bool(self.interpreter)
        language = (self.interpreter_language or "").strip()[:60]
        appointment.interpreter_language = language if self.interpreter and language else None
        appointment.note = (self.note or "").strip()[:500] or None


def new_reference(rng=None) -> str:
    """A booking reference such as "KF-7QX2-M4PD" (no look-alike characters)."""
    rng = rng or secrets.SystemRandom()
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"KF-{body[:4]}-{body[4:]}"
