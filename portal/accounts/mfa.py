"""Second factor for staff: TOTP (RFC 6238, pyotp) with ten hashed single-use recovery codes.

Services flush and never commit. The TOTP secret is encrypted with the field keyring (purpose
"totp"); a code is accepted once (the newest step used is kept), one step of clock drift
either way is allowed, and wrong codes are throttled per account like passwords.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, func, select, update

from portal.accounts import throttle as throttles
from portal.accounts.models import STAFF_ROLES, RecoveryCode, SecondFactor, User
from portal.accounts.passwords import check_password, hash_password
from portal.audit.services import Actor, record

PURPOSE = "totp"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
STEP = 30
MAX_WRONG = 5
WRONG_WINDOW = timedelta(minutes=15)
# How long a sign-in with a recovery code stands as the proof for moving the app to a new
# phone in that same session (the lost phone cannot give a code, and the last code is gone).
RECOVERY_PROOF = timedelta(minutes=10)
FEW_CODES = 2  # this many recovery codes left, or fewer: time to make new ones


class WrongCode(Exception):
    """The code is not right (or was used already)."""


class TooManyWrongCodes(Exception):
    """Too many wrong codes for this account; it opens again at `until`."""

    def __init__(self, until: datetime):
        super().__init__(until.isoformat())
        self.until = until


def required_for(user: User, config) -> bool:
    """True when the user's role must use a second factor (MFA_REQUIRED_ROLES)."""
    return user.role in STAFF_ROLES and user.role in (config.get("MFA_REQUIRED_ROLES") or ())


def factor_of(session, user_id: int) -> SecondFactor | None:
    """The user's confirmed second factor, if any."""
    return session.get(SecondFactor, user_id)


def new_secret() -> str:
    """A fresh random TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def looks_like_totp(code: str | None) -> bool:
    """Six digits (spaces allowed), as an authenticator app shows them."""
    code = _digits(code or "")
    return len(code) == 6 and code.isascii() and code.isdigit()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    if not looks_like_totp(code):
        return None
    code = _digits(code)
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // STEP
    for candidate in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.at(candidate * STEP), code):
            return candidate
    return None


def _new_recovery_codes(session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user_id, code_hash=hash_password(raw)))
    session.flush()
    return codes


class WrongNewCode(WrongCode):
    """The new authenticator's code is not right (the current one was not looked at)."""


def enrol(session, keyring, user: User, secret: str, code: str, *, now: datetime) -> list[str]:
    """Confirm a new authenticator with its first code; returns the ten recovery codes."""
    step = _matching_step(secret, code, now)
    if step is None:
        raise WrongNewCode()
    session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    session.add(
        SecondFactor(
            user_id=user.id,
            secret=keyring.encrypt(secret, PURPOSE),
            confirmed_at=now,
            last_step=step,
        )
    )
    codes = _new_recovery_codes(session, user.id)
    record(session, user.actor, "mfa_enrolled", now=now, object_type="user", object_id=user.id)
    return codes


def replace(
    session,
    keyring,
    user: User,
    current: str | None,
    secret: str,
    code: str,
    *,
    now: datetime,
    recovered_at: datetime | None = None,
) -> list[str]:
    """Move a staff member's second factor to a new authenticator: a code from the one in use
    (or a recovery code) proves it is theirs, as a signed-in session alone does not. The new
    app's code is checked first, so a typing slip there does not use up the current code.
    Every session of the staff member ends (a browser left signed in does not outlive the
    app it was signed in with); the caller starts the current one afresh. A session that
    signed in with a recovery code within RECOVERY_PROOF (`recovered_at`) has given its proof.
    Raises WrongNewCode, or WrongCode / TooManyWrongCodes for the current code (counted)."""
    if _matching_step(secret, code, now) is None:
        raise WrongNewCode()
    if not recovered_recently(recovered_at, now):
        verify(session, keyring, user, current or "", now=now)
    codes = enrol(session, keyring, user, secret, code, now=now)
    user.session_version += 1
    return codes


def recovered_recently(recovered_at: datetime | None, now: datetime) -> bool:
    """True while a sign-in with a recovery code at `recovered_at` still counts as proof."""
    return recovered_at is not None and timedelta(0) <= now - recovered_at <= RECOVERY_PROOF


def _wrong(session, user: User, now: datetime) -> None:
    until = throttles.count(
        session,
        f"m:{user.id}",
        limit=MAX_WRONG,
        window=WRONG_WINDOW,
        lock=WRONG_WINDOW,
        now=now,
    )
    record(session, user.actor, "mfa_failed", now=now, object_type="user", object_id=user.id)
    if until is not None:
        raise TooManyWrongCodes(until)
    raise WrongCode()


def verify(session, keyring, user: User, code: str, *, now: datetime) -> str:
    """Check a TOTP or recovery code; returns "totp" or "recovery". Raises WrongCode or
    TooManyWrongCodes (after counting; the caller commits either way)."""
    until = throttles.throttled_until(session, [f"m:{user.id}"], now)
    if until is not None:
        raise TooManyWrongCodes(until)
    factor = factor_of(session, user.id)
    if factor is None:
        raise WrongCode()
    step = _matching_step(keyring.decrypt(factor.secret, PURPOSE), code, now)
    if step is not None:
        used = session.execute(
            update(SecondFactor)
            .where(SecondFactor.user_id == user.id, SecondFactor.last_step < step)
            .values(last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        if used:
            throttles.clear(session, f"m:{user.id}")
            record(
                session, user.actor, "mfa_passed", now=now, object_type="user", object_id=user.id
            )
            return "totp"
        _wrong(session, user, now)  # a replayed code
    if _use_recovery_code(session, user, code, now):
        throttles.clear(session, f"m:{user.id}")
        return "recovery"
    _wrong(session, user, now)
    return ""  # not reached: _wrong raises


def _use_recovery_code(session, user: User, code: str, now: datetime) -> bool:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 10:
        return False
    unused = session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if check_password(row.code_hash, raw):
            taken = session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                left = len(unused) - 1
                record(
                    session,
                    user.actor,
                    "recovery_code_used",
                    now=now,
                    object_type="user",
                    object_id=user.id,
                    data={"left": left},
                )
                return True
    return False


def reset(session, user: User, *, now: datetime, actor: Actor) -> None:
    """Remove a staff member's second factor (a coordinator's action, audited); their
    sessions end and they enrol again at their next sign-in."""
    session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_version += 1
    record(session, actor, "mfa_reset", now=now, object_type="user", object_id=user.id)


@dataclass(frozen=True)
class FactorState:
    """What a staff member's own account page says about their second factor."""

    set_up_at: datetime | None
    codes_left: int

    @property
    def few_codes(self) -> bool:
        """True when it is time to make new recovery codes."""
        return self.codes_left <= FEW_CODES


def recovery_codes_left(session, user_id: int) -> int:
    """How many of the user's recovery codes are still unused."""
    return session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )


def state_of(session, user_id: int) -> FactorState:
    """The app's state (set up when, if at all) and the recovery codes left."""
    factor = factor_of(session, user_id)
    return FactorState(
        set_up_at=factor.confirmed_at if factor else None,
        codes_left=recovery_codes_left(session, user_id) if factor else 0,
    )


class NoFactor(Exception):
    """The user has no authenticator app set up, so there are no recovery codes to renew."""


def renew_recovery_codes(session, keyring, user: User, current: str, *, now: datetime) -> list[str]:
    """Ten new recovery codes in place of the old ones (which stop working at once), for a
    staff member who proves it is them with a code from the app or a recovery code, as a
    signed-in session alone does not. Audited. Raises NoFactor, WrongCode or
    TooManyWrongCodes (counted; the caller commits either way)."""
    if factor_of(session, user.id) is None:
        raise NoFactor()
    verify(session, keyring, user, current, now=now)
    codes = _new_recovery_codes(session, user.id)
    record(
        session,
        user.actor,
        "recovery_codes_renewed",
        now=now,
        object_type="user",
        object_id=user.id,
    )
    return codes
