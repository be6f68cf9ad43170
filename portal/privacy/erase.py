"""Retention carried out: delete, unlink or pseudonymise what is due, leave the audit chain.

Rows of a kind that is due are deleted together with the rows that hang from them (a job's
photos, a request's documents); a reference from a row that stays is set to NULL instead. A
lock unit is a device that outlives the citizen: it is unlinked, not deleted. When the register
itself is due the citizen's row is pseudonymised, not deleted, so the audit records that name
the citizen by id keep pointing at a row; its name, national id, address, contact details and
letter code are overwritten. Audit records are never touched (the chain stays verifiable); the
record written here holds ids and counts only.
"""

from collections import Counter
from datetime import date, datetime

from sqlalchemy import delete, func, select, update

from portal.audit.services import Actor, record
from portal.citizens.models import Citizen
from portal.extensions import db
from portal.privacy import catalog
from portal.privacy.retention import due

ERASED = "erased-"


def _tables_of(kinds) -> list:
    """The citizen tables of these kinds, dependants first."""
    return [
        t
        for t in reversed(catalog.citizen_tables(db.metadata))
        if catalog.TABLES.get(t.name, ("register",))[0] in kinds
    ]


def _citizen_clause(table, citizen_id: int):
    columns = [fk.parent for fk in table.foreign_keys if fk.column.table.name == "citizen"]
    clause = columns[0] == citizen_id
    for column in columns[1:]:
        clause = clause | (column == citizen_id)
    return clause


def _remove(session, table, where, counts: Counter) -> None:
    pk = list(table.primary_key.columns)[0]
    ids = list(session.scalars(select(pk).where(where)))
    if not ids:
        return
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table or child is table:
                continue
            if fk.parent.nullable:
                session.execute(update(child).where(fk.parent.in_(ids)).values({fk.parent: None}))
            else:
                _remove(session, child, fk.parent.in_(ids), counts)
    session.execute(delete(table).where(pk.in_(ids)))
    counts[table.name] += len(ids)


def pseudonymise(citizen: Citizen) -> None:
    """Overwrite everything that identifies the citizen; the id and dates stay."""
    mark = f"{ERASED}{citizen.id}"
    citizen.external_id = citizen.national_id_index = citizen.letter_code_index = mark
    citizen.national_id_enc = citizen.national_id_masked = citizen.letter_code_enc = ""
    citizen.name = mark
    citizen.date_of_birth = date(1900, 1, 1)
    citizen.address = citizen.postcode = citizen.city = ""
    citizen.phone = citizen.email = None
    citizen.property_id = None
    citizen.emergency_alarm = False
    citizen.session_version = (citizen.session_version or 0) + 1


def pending(session, citizen_id: int, kinds) -> dict[str, int]:
    """What would go for these kinds: rows per citizen table (and the register row itself)."""
    out = {}
    for table in _tables_of(kinds):
        count = session.scalar(
            select(func.count()).select_from(table).where(_citizen_clause(table, citizen_id))
        )
        if count:
            out[table.name] = count
    citizen = session.get(Citizen, citizen_id)
    if "register" in kinds and citizen is not None and not citizen.external_id.startswith(ERASED):
        out["citizen"] = 1
    return out


def erase(session, citizen_id: int, kinds, *, now: datetime, actor: Actor) -> dict[str, int]:
    """Remove what these kinds hold about a citizen (flush; the caller commits)."""
    counts: Counter = Counter()
    for table in _tables_of(kinds):
        clause = _citizen_clause(table, citizen_id)
        if catalog.TABLES.get(table.name, ("", "delete"))[1] == "unlink":
            columns = [fk.parent for fk in table.foreign_keys if fk.column.table.name == "citizen"]
            result = session.execute(update(table).where(clause).values({columns[0]: None}))
            if result.rowcount:
                counts[table.name] += result.rowcount
        else:
            _remove(session, table, clause, counts)
    citizen = session.get(Citizen, citizen_id)
    if "register" in kinds and not citizen.external_id.startswith(ERASED):
        pseudonymise(citizen)
        counts["citizen"] += 1
    session.flush()
    if counts:
        record(
            session,
            actor,
            "privacy.erased",
            now=now,
            object_type="citizen",
            object_id=citizen_id,
            data={"kinds": list(kinds), "rows": dict(sorted(counts.items()))},
        )
    return dict(counts)


def sweep(session, today: date, *, now: datetime, actor: Actor, dry_run=False) -> list[dict]:
    """Everything due on `today`: what would go (dry run) or what went; flushes only."""
    results = []
    for item in due(session, today):
        if dry_run:
            rows = pending(session, item.citizen_id, item.kinds)
        else:
            rows = erase(session, item.citizen_id, item.kinds, now=now, actor=actor)
        if rows:
            results.append(
                {
                    "citizen_id": item.citizen_id,
                    "care_ended_on": item.ended_on.isoformat(),
                    "kinds": item.kinds,
                    "rows": rows,
                }
            )
    return results
