"""manifest.json: what a backup holds, with the SHA-256 and size of every file."""

import hashlib
import json
from pathlib import Path

NAME = "manifest.json"
FORMAT = "keyless-care-portal-backup"
VERSION = 1


class ManifestMismatch(RuntimeError):
    """The folder does not hold exactly what its manifest lists (the message says what)."""

    def __init__(self, problems: list[str]):
        super().__init__("the backup does not match its manifest:\n- " + "\n- ".join(problems))
        self.problems = problems


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != NAME
    )


def write(folder: Path, info: dict) -> dict:
    """Hash every file in the folder and write the manifest last (a backup without one is
    unfinished and cannot be restored)."""
    files = {
        name: {"sha256": sha256(folder / name), "size": (folder / name).stat().st_size}
        for name in _files(folder)
    }
    manifest = {"format": FORMAT, "version": VERSION, **info, "files": files}
    (folder / NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def check(folder: Path) -> dict:
    """The manifest, after checking every file against it; raises ManifestMismatch."""
    path = folder / NAME
    try:
        manifest = json.loads(path.read_text())
        listed = dict(manifest["files"])
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ValueError("not a portal backup of a known version")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestMismatch([f"{path} cannot be read ({exc})"]) from None
    problems = []
    present = set(_files(folder))
    for name in sorted(set(listed) - present):
        problems.append(f"{name} is listed but missing")
    for name in sorted(present - set(listed)):
        problems.append(f"{name} is not listed in the manifest")
    for name in sorted(present & set(listed)):
        entry = listed[name] or {}
        if sha256(folder / name) != entry.get("sha256"):
            problems.append(f"{name} does not match its SHA-256 (altered or damaged)")
    if problems:
        raise ManifestMismatch(problems)
    return manifest
