"""What production refuses that the audit log can tell: demo data, and a lost checkpoint key."""

from collections.abc import Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from portal.audit import checkpoints, signing
from portal.audit.models import AuditCheckpoint, AuditRecord
from portal.web.production import DEMO_MARKER, production_check


@production_check(database=True)
def _demo_data(config, session) -> Iterable[str]:
    marker = session.execute(
        select(AuditRecord.data).where(AuditRecord.action == DEMO_MARKER).limit(1)
    ).scalar_one_or_none()
    if marker is not None:
        accounts = ", ".join((marker or {}).get("accounts", [])) or "?"
        yield (
            "The database holds the demo municipality made by `flask seed-demo` (demo citizens "
            f"and the demo accounts {accounts}, whose password is published). Start production "
            "on an empty database."
        )


@production_check(database=True)
def _checkpoint_key(config, session) -> Iterable[str]:
    instance = current_app.instance_path
    path = signing.key_path(config, instance)
    signed = session.scalar(select(func.count()).select_from(AuditCheckpoint))
    if signed and not path.exists():
        yield (
            f"The audit checkpoint key {path} is missing, but {signed} checkpoints were signed "
            "with it: restore it from the backup (a new key would make every earlier checkpoint "
            "fail `flask audit verify`), or set AUDIT_CHECKPOINT_KEY to where it is."
        )
    folder = checkpoints.directory(config, instance).resolve()
    if folder == path.parent.resolve() or folder in path.resolve().parents:
        yield (
            f"The audit checkpoint key {path} lies in the checkpoint folder {folder}, whose "
            "files are copied to other storage: keep the key apart."
        )
    if (
        config.get("AUDIT_CHECKPOINT_PUBLIC_KEY")
        and not Path(config["AUDIT_CHECKPOINT_PUBLIC_KEY"]).is_file()
    ):
        yield f"AUDIT_CHECKPOINT_PUBLIC_KEY {config['AUDIT_CHECKPOINT_PUBLIC_KEY']} does not exist."
