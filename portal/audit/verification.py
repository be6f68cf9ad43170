"""`audit verify` in full: the hash chain, then every signed checkpoint against it.

The chain alone proves nothing to someone who can write the database (they can recompute
every hash, or delete the tail and rewind the head). The checkpoint files, signed with a key
kept apart from the database, pin the head at moments in the past: each must verify, the
record it names must still hold the hash it signed, and the head must not be behind it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from portal.audit import checkpoints, signing
from portal.audit.models import AuditCheckpoint, AuditHead, AuditRecord
from portal.audit.services import GENESIS, verify_chain

NO_CHECKPOINT = (
    "no signed checkpoint yet: truncation and recomputed hashes cannot be detected until "
    "`flask audit checkpoint` (or the daily job) has run"
)
STALE_AFTER = timedelta(hours=48)  # checkpoints are made daily: two days without one is odd


@dataclass
class Report:
    """What `audit verify` found: problems fail it, warnings do not."""

    records: int = 0
    head_seq: int = 0
    checkpoints: int = 0
    newest: dict | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.problems


def _short(digest: str) -> str:
    return f"{digest[:12]}…"


def record_hashes(session, seqs) -> dict[int, str]:
    """{seq: hash} of the records with these numbers (missing ones left out)."""
    seqs, found = sorted(set(seqs)), {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        stmt = select(AuditRecord.seq, AuditRecord.hash).where(AuditRecord.seq.in_(chunk))
        found.update(dict(session.execute(stmt).all()))
    return found


def check_against_chain(signed, fields: dict, hashes: dict[int, str], head_seq: int) -> list[str]:
    """Problems of one validly signed checkpoint against the log as it is now."""
    seq, want = int(fields["seq"]), str(fields["hash"])
    have = GENESIS if seq == 0 else hashes.get(seq)
    if have is None:
        return [
            f"checkpoint {signed.source} signed record {seq}, which is no longer in the log "
            f"(the head is at {head_seq}): the chain was truncated"
        ]
    if have != want:
        return [
            f"checkpoint {signed.source} signed record {seq} with hash {_short(want)}, the "
            f"log now holds {_short(have)}: the chain was rewritten and its hashes recomputed"
        ]
    if seq > head_seq:
        return [
            f"the chain's head is at record {head_seq} but checkpoint {signed.source} signed "
            f"record {seq}: the tail was deleted and the head rewound"
        ]
    return []


def _signature_problem(signed, key, key_id: str) -> str | None:
    if signing.verify(key, signed.body, signed.signature) and signed.fields.get("key") == key_id:
        return None
    return (
        f"checkpoint {signed.source}: the signature does not verify with the checkpoint key "
        f"{key_id} (forged or altered)"
    )


def _compare_rows(session, files, folder: Path) -> list[str]:
    rows = {r.filename: r for r in session.scalars(select(AuditCheckpoint))}
    by_name = {f.source: f for f in files}
    problems = [
        f"checkpoint {name} is in the database but its file is missing from {folder} "
        "(restore it from the write-once copy)"
        for name in sorted(set(rows) - set(by_name))
    ]
    problems += [
        f"checkpoint file {name} has no row in the database: checkpoint rows were deleted"
        for name in sorted(set(by_name) - set(rows))
    ]
    problems += [
        f"checkpoint row {name} differs from its file: the row was altered"
        for name in sorted(set(rows) & set(by_name))
        if (rows[name].body, rows[name].signature) != (by_name[name].body, by_name[name].signature)
    ]
    return problems


def verify_all(session, config, instance_path, *, now: datetime) -> Report:
    """The chain, then every checkpoint file (and the database's copies of them)."""
    report = Report()
    report.records, problem = verify_chain(session)
    if problem is not None:
        report.problems.append(f"audit chain broken at record {problem.seq}: {problem.reason}")
    head = session.get(AuditHead, 1)
    report.head_seq = head.seq if head is not None else 0
    folder = checkpoints.directory(config, instance_path)
    files, unreadable = checkpoints.read_files(folder)
    report.problems += unreadable
    report.checkpoints = len(files)
    try:
        key = signing.public_key(config, instance_path)
    except signing.MissingCheckpointKey as exc:
        if files:
            report.problems.append(str(exc))
        else:
            report.warnings.append(NO_CHECKPOINT)
        return report
    key_id = signing.key_id(key)
    valid = []
    for signed in files:
        bad = _signature_problem(signed, key, key_id)
        if bad:
            report.problems.append(bad)
        else:
            valid.append((signed, signed.fields))
    hashes = record_hashes(session, [int(f["seq"]) for _s, f in valid])
    for signed, fields in valid:
        report.problems += check_against_chain(signed, fields, hashes, report.head_seq)
    report.problems += _compare_rows(session, files, folder)
    if valid:
        report.newest = max((f for _s, f in valid), key=lambda f: (f["seq"], f["at"]))
        at = datetime.fromisoformat(report.newest["at"].replace("Z", "+00:00"))
        if now - at > STALE_AFTER:
            report.warnings.append(
                f"the newest checkpoint is from {report.newest['at']}: is the daily job running?"
            )
    elif not files:
        report.warnings.append(NO_CHECKPOINT)
    return report
