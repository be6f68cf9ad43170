"""Import preview and commit: validate every row, then write the valid ones in one transaction.

The provider and care group of a row become a dated provider assignment effective from the
import's date (the municipality's date): only when they differ from the one in force then.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.audit.services import Actor, record
from portal.citizens import columns, csvfile, import_skipped, validation
from portal.citizens.import_rows import Lookups, RowError, check_row, shown
from portal.citizens.models import Citizen, ImportBatch
from portal.citizens.register import NATIONAL_ID_PURPOSE, create_citizen
from portal.citizens.uploads import discard, read_upload, store_upload  # noqa: F401
from portal.directory.queries import assignments_on
from portal.directory.services import assign_provider

# Register columns a re-import compares, in the order the preview names changes.
COMPARED = (
    "name",
    "date_of_birth",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "language",
    "district_id",
    "provider_id",
    "care_group_id",
    "emergency_alarm",
)
# Compared with the assignment in force on the import's date, not with the citizen's row.
ASSIGNED = ("provider_id", "care_group_id")


class AlreadyImported(ValueError):
    """The batch was confirmed before (perhaps a moment ago, by a double click)."""


@dataclass
class Preview:
    """What confirming the import would do."""

    create: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    encoding: str = "UTF-8"
    delimiter: str = ","
    notices: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    country: str | None = None

    @property
    def error_rows(self) -> list[tuple[int, list[RowError]]]:
        """Each row with problems once, in file order, with all of its problems."""
        rows: dict[int, list[RowError]] = {}
        for error in self.errors:
            rows.setdefault(error.row, []).append(error)
        return sorted(rows.items())

    def column(self, key: str) -> str:
        """A column as an error names it: its label, and the file's header when that differs
        ("Phone (telefon)")."""
        return columns.shown(columns.label(key, self.country), self.headers.get(key, key))


def _current(citizen: Citizen, assignment) -> dict:
    values = {k: getattr(citizen, k) for k in COMPARED if k not in ASSIGNED}
    values.update({k: getattr(assignment, k) if assignment else None for k in ASSIGNED})
    return values


def preview(
    session, keyring, raw: bytes, *, on: date, country: str, default_language: str
) -> Preview:
    """Check every row against the register (providers as on `on`) without writing anything."""
    parsed = csvfile.read_csv(raw)
    result = Preview(
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        notices=parsed.notices,
        headers=parsed.headers,
        country=country,
    )
    look = Lookups(session)
    seen_ext, seen_nid = {}, {}
    existing = {c.external_id: c for c in session.scalars(select(Citizen))}
    by_index = {c.national_id_index: c for c in existing.values()}
    assigned = assignments_on(session, None, on)
    for number, raw_row in parsed.rows:
        row = check_row(number, raw_row, look, country, default_language, result.errors)
        if row is None:
            continue
        if row["external_id"] in seen_ext:
            result.errors.append(
                RowError(
                    number,
                    "external_id",
                    _l(
                        "Duplicate in the file (also on row %(other)s)",
                        other=seen_ext[row["external_id"]],
                    ),
                )
            )
            continue
        if row["national_id"] in seen_nid:
            result.errors.append(
                RowError(
                    number,
                    "national_id",
                    _l(
                        "Duplicate in the file (also on row %(other)s)",
                        other=seen_nid[row["national_id"]],
                    ),
                )
            )
            continue
        seen_ext[row["external_id"]] = seen_nid[row["national_id"]] = number
        index = keyring.blind_index(row["national_id"], NATIONAL_ID_PURPOSE)
        holder = by_index.get(index)
        current = existing.get(row["external_id"])
        if holder is not None and holder is not current:
            result.errors.append(
                RowError(
                    number,
                    "national_id",
                    _l(
                        "Already registered for another citizen (external id %(other)s)",
                        other=shown(holder.external_id),
                    ),
                )
            )
            continue
        row["row"] = number
        if current is None:
            result.create.append(row)
            continue
        now_values = _current(current, assigned.get(current.id))
        changed = [k for k in COMPARED if now_values[k] != row[k]]
        if holder is None:
            changed.append("national_id")
        if changed:
            row["changed"] = changed
            result.update.append(row)
        else:
            result.unchanged += 1
    return result


def commit_import(
    session,
    keyring,
    batch: ImportBatch,
    *,
    actor: Actor,
    now,
    on: date,
    country: str,
    default_language: str,
) -> dict:
    """Write the valid rows of a previewed file (flush; the caller commits); return the counts.

    `on` is the import's date: new providers and care groups take effect from it.
    """
    # Claim the batch with one conditional UPDATE: of two confirmations racing (a double
    # click), the second waits for the first's row lock, then finds nothing to claim.
    claimed = session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == "previewed")
        .values(status="importing")
    ).rowcount
    if not claimed:
        raise AlreadyImported(batch.id)
    plan = preview(
        session,
        keyring,
        read_upload(batch, keyring),
        on=on,
        country=country,
        default_language=default_language,
    )
    for row in plan.create:
        create_citizen(session, keyring, {**row, "provider_from": on}, now=now)
    for row in plan.update:
        citizen = session.scalar(select(Citizen).where(Citizen.external_id == row["external_id"]))
        for key in COMPARED:
            if key not in ASSIGNED:
                setattr(citizen, key, row[key])
        if set(ASSIGNED) & set(row["changed"]):
            assign_provider(
                session,
                citizen.id,
                row["provider_id"],
                row["care_group_id"],
                on,
                now=now,
                actor=actor,
            )
        if "national_id" in row["changed"]:
            citizen.national_id_enc = keyring.encrypt(row["national_id"], NATIONAL_ID_PURPOSE)
            citizen.national_id_index = keyring.blind_index(row["national_id"], NATIONAL_ID_PURPOSE)
            citizen.national_id_masked = validation.mask_national_id(row["national_id"], country)
        citizen.updated_at = now
    counts = {
        "created": len(plan.create),
        "updated": len(plan.update),
        "unchanged": plan.unchanged,
        "errors": len(plan.error_rows),
    }
    skipped = import_skipped.dump(plan.errors, plan.headers)
    return finish(session, batch, counts, actor=actor, now=now, skipped=skipped)


def finish(
    session, batch: ImportBatch, counts: dict, *, actor: Actor, now, action="import", skipped=None
):
    """Mark a batch imported with its counts and the rows it skipped (`import_skipped.dump`,
    kept for the receipt, not audited), audited as `action`, and delete its file (flush; the
    caller commits)."""
    result = counts | ({"skipped": skipped} if skipped is not None else {})
    batch.status, batch.result = "imported", json.dumps(result)
    discard(session, batch, "confirmed", now=now, actor=actor)
    record(
        session,
        actor,
        action,
        now=now,
        object_type="import",
        object_id=batch.id,
        data={"file_sha256": batch.sha256, **counts},
    )
    session.flush()
    return counts


def total_citizens(session) -> int:
    """How many citizens are registered."""
    return session.scalar(select(func.count(Citizen.id)))
