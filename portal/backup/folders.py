"""The folders and files a backup copies besides the database, and where they go back."""

import shutil
from datetime import datetime
from pathlib import Path

from portal.audit import checkpoints, signing


def sections(config, instance_path) -> dict[str, Path]:
    """{name in the backup: path on this machine} for every folder or file worth keeping."""
    instance = Path(instance_path)
    keys = instance / "keys"
    found = {
        "keys": keys,
        "checkpoints": checkpoints.directory(config, instance_path),
        "letters": instance / "letters",
    }
    if config.get("ISSUER_KEY_DIR") and Path(config["ISSUER_KEY_DIR"]).resolve() != keys.resolve():
        found["issuer-keys"] = Path(config["ISSUER_KEY_DIR"])
    key = signing.key_path(config, instance_path)
    if key.parent.resolve() != keys.resolve():
        found["checkpoint-key"] = key
    return found


def copy_out(source: Path, target: Path) -> None:
    """Copy a folder (or one file) into the backup; a missing one is simply left out."""
    if source.is_dir():
        shutil.copytree(source, target, symlinks=False)
    elif source.is_file():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / source.name)


def copy_back(saved: Path, target: Path, *, single_file: bool, stamp: datetime) -> Path | None:
    """Put a section back; what was there is kept beside it as `<name>.before-restore-<time>`.

    Returns where the old copy went (None when there was nothing)."""
    aside = None
    if target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{stamp:%Y%m%dT%H%M%S}")
        target.rename(aside)
    if single_file:
        files = list(saved.iterdir())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(files[0], target)
        target.chmod(0o600)
    else:
        shutil.copytree(saved, target)
    return aside
