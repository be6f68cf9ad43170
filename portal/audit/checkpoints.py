"""Signed checkpoints of the chain head, written as files and as rows, and their checks.

A checkpoint is a signed tree head as in Certificate Transparency: (seq, hash, time) of the
chain's head, signed with the checkpoint key (portal.audit.signing). Each is written as one
JSON file in AUDIT_CHECKPOINT_DIR (default instance/audit-checkpoints; copy the files to
write-once storage) and as an AuditCheckpoint row. `verify_checkpoints` trusts the files:
every one must carry a valid signature, and the record at its seq must still exist with that
hash, so deleting the tail (and rewinding the head) or rewriting a record and recomputing
every hash after it is found, even when the rows were deleted too.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from portal.audit import signing
from portal.audit.models import AuditCheckpoint, AuditHead, AuditRecord
from portal.audit.services import GENESIS, verify_chain

VERSION = 1
MAX_FILE_BYTES = 4096  # a checkpoint file is about 400 bytes; anything bigger is not one


class ChainBroken(RuntimeError):
    """The chain does not verify, so no checkpoint is signed for it."""


@dataclass(frozen=True)
class Signed:
    """One checkpoint as read back: the signed text, its signature and where it came from."""

    source: str
    body: str
    signature: str

    @property
    def fields(self) -> dict:
        """The signed fields (v, origin, seq, hash, at, key)."""
        return json.loads(self.body)


def directory(config, instance_path) -> Path:
    """Where checkpoint files are written."""
    configured = config.get("AUDIT_CHECKPOINT_DIR")
    return Path(configured) if configured else Path(instance_path) / "audit-checkpoints"


def _filename(seq: int, at: datetime) -> str:
    return f"checkpoint-{seq:012d}-{at:%Y%m%dT%H%M%S}{at.microsecond:06d}Z.json"


def _write_file(path: Path, content: str) -> None:
    """Write once: a temporary file renamed into place, never replacing an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "w", encoding="utf-8") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.link(temp, path)  # fails if the name exists: a checkpoint file is never overwritten
    os.unlink(temp)


def _trusted_start(session, key) -> tuple[int, str]:
    """The newest checkpoint row that is signed by the key and still matches its record."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc())).all()
    for row in rows:
        if not signing.verify(key, row.body, row.signature):
            continue
        if row.seq == 0:
            return 0, GENESIS
        rec_hash = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == row.seq))
        if rec_hash == row.hash:
            return row.seq, row.hash
    return 0, GENESIS


def make_checkpoint(session, config, instance_path, *, now: datetime) -> AuditCheckpoint:
    """Verify the chain since the last good checkpoint, then sign its head (file + row).

    Raises ChainBroken instead of signing a chain that does not verify. Flushes, never commits;
    the file is written before the row, so a row never exists without its file.
    """
    private = signing.load_or_create_private_key(signing.key_path(config, instance_path))
    public = private.public_key()
    after, prev = _trusted_start(session, public)
    _checked, problem = verify_chain(session, after=after, prev=prev)
    if problem is not None:
        raise ChainBroken(f"record {problem.seq}: {problem.reason}")
    head = session.get(AuditHead, 1)
    seq, tip = (head.seq, head.hash) if head is not None else (0, GENESIS)
    at = now.astimezone(UTC)
    body = signing.canonical(
        {
            "v": VERSION,
            "origin": config.get("PORTAL_URL", ""),
            "seq": seq,
            "hash": tip,
            "at": at.isoformat().replace("+00:00", "Z"),
            "key": signing.key_id(public),
        }
    )
    signature = signing.sign(private, body)
    name = _filename(seq, at)
    content = json.dumps({"signed": body, "signature": signature}, indent=2) + "\n"
    _write_file(directory(config, instance_path) / name, content)
    row = AuditCheckpoint(
        seq=seq,
        hash=tip,
        at=at,
        key_id=signing.key_id(public),
        body=body,
        signature=signature,
        filename=name,
    )
    session.add(row)
    session.flush()
    return row


def read_files(folder: Path) -> tuple[list[Signed], list[str]]:
    """Every checkpoint file in the folder, and a sentence for each one that cannot be read."""
    if not folder.is_dir():
        return [], []
    return read_paths(sorted(folder.glob("checkpoint-*.json")))


def read_paths(paths) -> tuple[list[Signed], list[str]]:
    """These checkpoint files, and a sentence for each one that cannot be read."""
    found, problems = [], []
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("too large")
            raw = json.loads(path.read_text(encoding="utf-8"))
            signed = Signed(path.name, str(raw["signed"]), str(raw["signature"]))
            fields = signed.fields
            int(fields["seq"]), str(fields["hash"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"checkpoint file {path.name} cannot be read ({exc})")
            continue
        found.append(signed)
    return found, problems


def from_row(row: AuditCheckpoint) -> Signed:
    """A checkpoint row as read back."""
    return Signed(row.filename, row.body, row.signature)
