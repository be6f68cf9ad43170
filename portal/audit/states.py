"""The chain verification state of each record on a page of the audit browser.

A page cannot re-walk millions of records, so it checks what it can prove cheaply and says
which: each shown record's own hash and its link to the record before it, and the newest
signed checkpoint (its signature, and that the record it names still holds its hash).

- VERIFIED: covered by that checkpoint and its own hash and link hold;
- UNSIGNED: after the newest checkpoint (its hash and link hold, nothing signed covers it yet);
- BROKEN: its hash or link fails, or it lies under a checkpoint the log no longer matches.
`flask audit verify` walks everything (portal.audit.verification).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.audit import checkpoints, signing
from portal.audit.models import AuditCheckpoint
from portal.audit.services import GENESIS, digest_of
from portal.audit.verification import record_hashes

VERIFIED, UNSIGNED, BROKEN = "verified", "unsigned", "broken"


@dataclass(frozen=True)
class Anchor:
    """The newest validly signed checkpoint, and whether the log still matches it."""

    seq: int
    at: datetime
    matches: bool


def _newest_signed(session, config, instance_path):
    """The newest checkpoint with a valid signature: files first (newest name first), then rows."""
    try:
        key = signing.public_key(config, instance_path)
    except (signing.MissingCheckpointKey, ValueError, OSError):
        return None
    folder = checkpoints.directory(config, instance_path)
    names = sorted(folder.glob("checkpoint-*.json"), reverse=True) if folder.is_dir() else []
    for path in names:
        found, _problems = checkpoints.read_paths([path])
        if found and signing.verify(key, found[0].body, found[0].signature):
            return found[0]
    stmt = select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(50)
    for row in session.scalars(stmt):
        if signing.verify(key, row.body, row.signature):
            return checkpoints.from_row(row)
    return None


def anchor(session, config, instance_path) -> Anchor | None:
    """The newest signed checkpoint as it stands against the log now."""
    signed = _newest_signed(session, config, instance_path)
    if signed is None:
        return None
    fields = signed.fields
    seq = int(fields["seq"])
    have = GENESIS if seq == 0 else record_hashes(session, [seq]).get(seq)
    at = datetime.fromisoformat(str(fields["at"]).replace("Z", "+00:00"))
    return Anchor(seq, at, have == fields["hash"])


def states(session, records, found: Anchor | None) -> dict[int, str]:
    """{seq: state} for the records of one page."""
    previous = record_hashes(session, [r.seq - 1 for r in records if r.seq > 1])
    previous[0] = GENESIS
    result = {}
    for rec in records:
        intact = digest_of(rec) == rec.hash and previous.get(rec.seq - 1) == rec.prev_hash
        if not intact or (found is not None and rec.seq <= found.seq and not found.matches):
            result[rec.seq] = BROKEN
        elif found is not None and rec.seq <= found.seq:
            result[rec.seq] = VERIFIED
        else:
            result[rec.seq] = UNSIGNED
    return result
