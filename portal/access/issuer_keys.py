"""The portal's issuer keys: private halves as PEM files in instance/keys, records in the database.

The PEM files are encrypted with a passphrase kept outside the data volume when one is
configured (see portal.access.key_protection, which also describes the KMS/HSM seam).

There is always a "current" key (signs shift keys, bulletins and beacons) and a "next" key
(locks are provisioned with both, so a rotation needs no visit to the door). Rotation makes
next current, retires the old current until the last shift key it signed expires, makes a
fresh next, and publishes a bulletin (signed by the new key) that tells the locks so.
"""

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.access import key_protection
from portal.access.models_keys import IssuerKey
from portal.keys import (
    Issuer,
    TrustAnchor,
    public_key_from_pem_or_base64,
    public_key_to_pem,
)

ROTATION_MARGIN = timedelta(minutes=2)
_SIGNERS: dict[tuple[str, str, str], Issuer] = {}


class MissingIssuerKey(RuntimeError):
    """The database names an issuer key whose PEM file is not in this instance's key folder."""


class LockedIssuerKey(RuntimeError):
    """An issuer key file that cannot be opened with the configured passphrase."""


@dataclass(frozen=True)
class KeyStore:
    """Where this instance keeps issuer private keys, and the issuer name (iss) it signs as."""

    iss: str
    directory: Path
    password: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, config, instance_path: str) -> "KeyStore":
        """Build from app config: KEY_ISSUER (default PORTAL_URL), ISSUER_KEY_DIR and the
        passphrase (ISSUER_KEY_PASSPHRASE or ISSUER_KEY_PASSPHRASE_FILE)."""
        directory = config.get("ISSUER_KEY_DIR") or Path(instance_path) / "keys"
        iss = config.get("KEY_ISSUER") or config["PORTAL_URL"]
        return cls(iss, Path(directory), key_protection.passphrase(config))

    def path(self, kid: str) -> Path:
        """The PEM file of one key."""
        return self.directory / f"issuer-{kid}.pem"

    def create(self, kid: str) -> Issuer:
        """Generate a key and write its PEM (mode 0600, never overwriting)."""
        issuer = Issuer.generate(self.iss, kid)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(issuer.to_pem(self.password))
        _SIGNERS[(str(self.directory), self.iss, kid)] = issuer
        return issuer

    def load(self, kid: str) -> Issuer:
        """The signer for `kid` (parsed once per process)."""
        cache_key = (str(self.directory), self.iss, kid)
        issuer = _SIGNERS.get(cache_key)
        if issuer is None:
            path = self.path(kid)
            if not path.exists():
                raise MissingIssuerKey(f"issuer key {kid} not found at {path}")
            text = path.read_text()
            if key_protection.ENCRYPTED_MARK in text and not self.password:
                raise LockedIssuerKey(f"issuer key {kid} is encrypted and no passphrase is set")
            password = self.password if key_protection.ENCRYPTED_MARK in text else None
            try:
                issuer = Issuer.from_pem(text, self.iss, kid, password)
            except ValueError as exc:
                raise LockedIssuerKey(f"issuer key {kid} cannot be read: {exc}") from None
            _SIGNERS[cache_key] = issuer
        return issuer


def new_record(store: KeyStore, generation: int, now: datetime, current: bool) -> IssuerKey:
    """A fresh issuer key: its private half written to the store, its record not yet added."""
    kid = f"k{generation}-{secrets.token_hex(4)}"
    issuer = store.create(kid)
    return IssuerKey(
        kid=kid,
        generation=generation,
        public_key_pem=public_key_to_pem(issuer.public_key),
        created_at=now,
        activated_at=now if current else None,
    )


def current_key(session) -> IssuerKey | None:
    """The key that signs now."""
    return session.scalar(
        select(IssuerKey)
        .where(IssuerKey.activated_at.is_not(None), IssuerKey.retired_at.is_(None))
        .order_by(IssuerKey.generation.desc())
        .limit(1)
    )


def next_key(session) -> IssuerKey | None:
    """The key locks already trust that will sign after the next rotation."""
    return session.scalar(
        select(IssuerKey).where(IssuerKey.activated_at.is_(None)).order_by(IssuerKey.generation)
    )


def ensure_keys(session, store: KeyStore, *, now: datetime) -> IssuerKey:
    """The current key, creating current and next on first use (flushes when it creates)."""
    key = current_key(session)
    if key is not None:
        return key
    top = session.scalar(select(func.max(IssuerKey.generation))) or 0
    made = [new_record(store, top + 1, now, True), new_record(store, top + 2, now, False)]
    try:
        # A savepoint, so losing the race leaves the caller's unit of work intact.
        with session.begin_nested():
            session.add_all(made)
    except IntegrityError:  # another worker made them first; theirs are the ones in use
        for rec in made:
            store.path(rec.kid).unlink(missing_ok=True)
    return current_key(session)


def signer(session, store: KeyStore, *, now: datetime) -> tuple[Issuer, IssuerKey]:
    """The Issuer that signs now, and its record."""
    key = ensure_keys(session, store, now=now)
    return store.load(key.kid), key


def retirements(session, *, now: datetime) -> list[tuple[str, datetime]]:
    """(kid, until) of retired keys locks must still trust until `until`."""
    rows = session.scalars(
        select(IssuerKey).where(IssuerKey.retired_at.is_not(None), IssuerKey.trusted_until > now)
    )
    return [(k.kid, k.trusted_until) for k in rows]


def trust_anchors(session, store: KeyStore, *, now: datetime) -> list[TrustAnchor]:
    """What a lock is provisioned with today: current and next, plus retiring keys with until."""
    ensure_keys(session, store, now=now)
    rows = session.scalars(select(IssuerKey).order_by(IssuerKey.generation))
    anchors = []
    for key in rows:
        if key.retired_at is not None and (key.trusted_until is None or key.trusted_until <= now):
            continue
        public = public_key_from_pem_or_base64(key.public_key_pem)
        until = key.trusted_until if key.retired_at is not None else None
        anchors.append(TrustAnchor(store.iss, key.kid.encode(), public, until))
    return anchors
