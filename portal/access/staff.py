"""Staff and devices: create staff, enrolment codes, enrol a device key, unlock the PIN.

Blocking a phone or a person is in portal.access.blocking.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.access.models import Device, EnrolmentCode, Staff
from portal.accounts.passwords import hash_password
from portal.audit.services import SYSTEM, Actor, record
from portal.directory.models import CareGroup
from portal.keys import public_key_from_pem_or_base64, public_key_to_pem, thumbprint

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 10
PIN_LENGTH = 6


class StaffError(ValueError):
    """Base for the staff service's refusals; `code` names the problem."""

    code = "invalid"


class DuplicateStaffNumber(StaffError):
    """Another staff member has this number."""

    code = "duplicate_staff_number"


class InvalidCareGroups(StaffError):
    """No care group chosen, or one that belongs to another provider."""

    code = "invalid_care_groups"


class InvalidEnrolmentCode(StaffError):
    """Unknown, expired, used or cancelled code, or its staff member is blocked."""

    code = "invalid_enrolment_code"


class InvalidDeviceKey(StaffError):
    """Not a P-256 public key."""

    code = "invalid_device_key"


class DeviceKeyInUse(StaffError):
    """This key is already enrolled."""

    code = "device_key_in_use"


def normalise_code(text: str) -> str:
    """Upper case without spaces or dashes (how people type a code they read)."""
    return "".join(str(text or "").upper().split()).replace("-", "")


def code_hash(text: str) -> str:
    """SHA-256 of the normalised code (codes carry 50 random bits and live 15 minutes)."""
    return hashlib.sha256(normalise_code(text).encode()).hexdigest()


def grouped_code(code: str) -> str:
    """ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"


def new_pin() -> str:
    """A random six-digit PIN."""
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def create_staff(
    session,
    *,
    provider_id: int,
    staff_number: str,
    first_name: str,
    last_name: str,
    care_group_ids: list[int],
    pin: str | None = None,
    now: datetime,
    actor: Actor,
) -> tuple[Staff, str]:
    """Create a staff member with a PIN (generated when not given); returns (staff, PIN)."""
    number = staff_number.strip().upper()
    if session.scalar(select(Staff.id).where(Staff.staff_number == number)) is not None:
        raise DuplicateStaffNumber(number)
    groups = list(session.scalars(select(CareGroup).where(CareGroup.id.in_(care_group_ids))))
    if not groups or any(g.provider_id != provider_id for g in groups):
        raise InvalidCareGroups(care_group_ids)
    pin = pin or new_pin()
    staff = Staff(
        provider_id=provider_id,
        staff_number=number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        pin_hash=hash_password(pin),
        care_groups=groups,
        created_at=now,
    )
    session.add(staff)
    session.flush()
    record(
        session,
        actor,
        "staff_created",
        now=now,
        object_type="staff",
        object_id=staff.id,
        data={"staff_number": number, "care_groups": [g.id for g in groups]},
    )
    return staff, pin


def create_enrolment_code(
    session,
    staff: Staff,
    *,
    now: datetime,
    actor: Actor,
    minutes: int = 15,
    label: str | None = None,
    model: str | None = None,
) -> tuple[str, EnrolmentCode]:
    """A fresh one-time code (earlier unused ones are cancelled); the plain code is shown once."""
    if not staff.active:
        raise InvalidEnrolmentCode("staff blocked")
    session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.staff_id == staff.id, EnrolmentCode.used_at.is_(None))
        .values(cancelled=True)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    rec = EnrolmentCode(
        staff_id=staff.id,
        code_hash=code_hash(code),
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        label=(label or "").strip()[:60] or None,
        model=(model or "").strip()[:60] or None,
    )
    session.add(rec)
    session.flush()
    record(
        session,
        actor,
        "enrolment_code_created",
        now=now,
        object_type="staff",
        object_id=staff.id,
        data={"expires_at": rec.expires_at, "label": rec.label, "model": rec.model},
    )
    return code, rec


def enrol_device(session, code_text: str, public_key_text: str, *, now: datetime) -> Device:
    """Bind a device key to the code's staff member; a good code is spent by the first use."""
    rec = session.scalar(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash(code_text))
    )
    if rec is None or rec.cancelled or rec.used_at is not None or rec.expires_at <= now:
        return _enrol_failed(session, now, rec, InvalidEnrolmentCode("code"))
    try:
        key = public_key_from_pem_or_base64(public_key_text)
    except ValueError:
        return _enrol_failed(session, now, rec, InvalidDeviceKey())
    thumb = thumbprint(key).hex()
    if session.scalar(select(Device.id).where(Device.thumbprint == thumb)) is not None:
        return _enrol_failed(session, now, rec, DeviceKeyInUse())
    spent = session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.id == rec.id, EnrolmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1 or not rec.staff.active:
        return _enrol_failed(session, now, rec, InvalidEnrolmentCode("used or blocked"))
    device = Device(
        public_id="dev_" + secrets.token_urlsafe(16),
        staff_id=rec.staff_id,
        public_key_pem=public_key_to_pem(key),
        thumbprint=thumb,
        enrolled_at=now,
        label=rec.label,
        model=rec.model,
    )
    session.add(device)
    session.flush()
    rec.device_id = device.id
    record(
        session,
        rec.staff.actor,
        "device_enrolled",
        now=now,
        object_type="device",
        object_id=device.id,
        data={"thumbprint": thumb},
    )
    return device


def _enrol_failed(session, now, rec, error: StaffError):
    record(
        session,
        SYSTEM,
        "enrolment_failed",
        now=now,
        object_type="staff",
        object_id=rec.staff_id if rec else None,
        data={"reason": error.code},
    )
    raise error


def unlock_pin(session, staff: Staff, *, now: datetime, actor: Actor) -> Staff:
    """Lift a PIN lockout (coordinators only: the view checks the role)."""
    staff.pin_locked, staff.failed_pins, staff.pin_locked_at = False, 0, None
    record(session, actor, "pin_unlocked", now=now, object_type="staff", object_id=staff.id)
    return staff


def may_manage(user, staff: Staff | None) -> bool:
    """Coordinators manage every staff member; a provider admin only their own provider's."""
    if staff is None or not getattr(user, "is_authenticated", False):
        return False
    if staff.provider_id is None:  # a partner's courier: the partner pages (web.auth)
        return False
    if user.role == "coordinator":
        return True
    return user.role == "provider_admin" and user.provider_id == staff.provider_id
