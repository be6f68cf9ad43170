"""Issuer private keys encrypted at rest, so a copy of instance/ alone cannot mint door keys.

The PEM files are PKCS#8 encrypted with a passphrase that never lives beside them:
`ISSUER_KEY_PASSPHRASE` (the environment: `PORTAL_ISSUER_KEY_PASSPHRASE`) or
`ISSUER_KEY_PASSPHRASE_FILE` (a file outside the data volume, e.g. a mounted secret).
Plain PEM files from before are encrypted in place at start-up (`encrypt_existing`) or with
`flask keys encrypt`.

KMS/HSM seam: `KeyStore` (portal.access.issuer_keys) is the only code that touches private
keys (`create(kid)`, `load(kid)` -> an object with `Issuer`'s signing methods). A KMS can
supply the passphrase here (decrypt a wrapped data key in `passphrase()`); an HSM replaces
`KeyStore` with one whose `load` returns a signer that calls the HSM, so the key never leaves
it.
"""

import logging
import os
from pathlib import Path

from flask import current_app

from portal.keys import Issuer
from portal.web.production import production_check, weak_secret

logger = logging.getLogger(__name__)
ENCRYPTED_MARK = "ENCRYPTED PRIVATE KEY"


def passphrase(config) -> bytes | None:
    """The issuer key passphrase from the environment/config or its file, if one is set."""
    value = config.get("ISSUER_KEY_PASSPHRASE")
    path = config.get("ISSUER_KEY_PASSPHRASE_FILE")
    if not value and path:
        value = Path(path).read_text(encoding="utf-8").strip()
    return str(value).encode() if value else None


def encrypt_existing(directory: Path, iss: str, password: bytes) -> list[str]:
    """Rewrite every plain issuer PEM in `directory` encrypted; returns the kids rewritten."""
    done = []
    for path in sorted(Path(directory).glob("issuer-*.pem")):
        text = path.read_text()
        if ENCRYPTED_MARK in text:
            continue
        kid = path.stem.removeprefix("issuer-")
        issuer = Issuer.from_pem(text, iss, kid)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(issuer.to_pem(password))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)  # atomic: readers see the old or the new file, never half
        done.append(kid)
    return done


def encrypt_on_start(app, directory: Path, iss: str) -> None:
    """With a passphrase configured, encrypt any plain issuer PEM left from before."""
    password = passphrase(app.config)
    if password and Path(directory).is_dir():
        done = encrypt_existing(directory, iss, password)
        if done:
            logger.warning("Encrypted %d plain issuer key file(s) at rest: %s", len(done), done)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@production_check
def _issuer_keys_encrypted(config):
    value = config.get("ISSUER_KEY_PASSPHRASE")
    path = config.get("ISSUER_KEY_PASSPHRASE_FILE")
    if not value and not path:
        yield (
            "Issuer keys would be stored unencrypted: set PORTAL_ISSUER_KEY_PASSPHRASE or "
            "PORTAL_ISSUER_KEY_PASSPHRASE_FILE (outside the data volume), or a copy of "
            "instance/ alone could mint door keys."
        )
        return
    if path:
        folders = [Path(current_app.instance_path)]
        if config.get("ISSUER_KEY_DIR"):
            folders.append(Path(config["ISSUER_KEY_DIR"]))
        if any(_inside(Path(path), folder) for folder in folders):
            yield "ISSUER_KEY_PASSPHRASE_FILE lies beside the keys it protects: move it out."
            return
        if not Path(path).is_file():
            yield f"ISSUER_KEY_PASSPHRASE_FILE {path} does not exist."
            return
    if weak_secret(passphrase(config)):
        yield "The issuer key passphrase is short or of low entropy."
