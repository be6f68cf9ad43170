"""Right of access: everything the portal holds about one citizen, section by section.

The export is built from the schema, not from a hand-kept list of fields: every table with a
foreign key to `citizen.id` gives its rows (all columns), with the rows of the tables that hang
from those rows (a request's documents, a job's photos, a key's events, a lock's events), then
the consent context of the citizen's building and every audit record about the citizen (who
read or changed the record, with the purpose they gave). Each section carries its purpose, its
legal basis and how long it is kept (`catalog`). Credentials are left out (the letter code and
blind indexes: they are keys, not facts about the citizen); the national id is opened.
"""

import base64
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select

from portal.audit.models import AuditRecord
from portal.citizens.models import Citizen
from portal.citizens.register import NATIONAL_ID_PURPOSE
from portal.consent.register_models import Entrance, Property
from portal.extensions import db
from portal.i18n import force_locale
from portal.privacy import catalog, retention

FORMAT = "keyless-care-portal/access-export/1"
# Keys, look-up hashes and the search's folded copy of the fields, not facts about the citizen:
# never exported.
HIDDEN_SUFFIXES = ("_index", "_hash", "letter_code_enc", "session_version", "search_doc")


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return {"bytes": len(raw), "base64": base64.b64encode(raw).decode()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(row) -> dict:
    return {
        key: _value(value)
        for key, value in row._mapping.items()
        if not key.endswith(HIDDEN_SUFFIXES)
    }


def _children(session, table, ids: list) -> dict[str, list[dict]]:
    """Rows of other tables that point at these rows (and are not citizen tables themselves)."""
    out: dict[str, list[dict]] = {}
    if not ids:
        return out
    for child in db.metadata.sorted_tables:
        if child.name in catalog.TABLES or child.name == "citizen":
            continue
        for fk in child.foreign_keys:
            if fk.column.table is table:
                rows = session.execute(
                    select(child).where(fk.parent.in_(ids)).order_by(*child.primary_key)
                ).all()
                if rows:
                    out.setdefault(child.name, []).extend(_row(r) for r in rows)
    return out


def table_rows(session, table, citizen_id: int) -> list:
    """The rows of a citizen table that belong to this citizen."""
    columns = [fk.parent for fk in table.foreign_keys if fk.column.table.name == "citizen"]
    return session.execute(
        select(table).where(or_(*(c == citizen_id for c in columns))).order_by(*table.primary_key)
    ).all()


def _citizen(citizen: Citizen, keyring) -> dict:
    data = _row(db.session.execute(select(Citizen.__table__).filter_by(id=citizen.id)).one())
    enc = data.pop("national_id_enc")
    data["national_id"] = keyring.decrypt(enc, NATIONAL_ID_PURPOSE) if enc else None
    return data


def _consent(session, citizen: Citizen) -> list[dict]:
    if citizen.property_id is None:
        return []
    prop = session.execute(
        select(Property.__table__).filter_by(id=citizen.property_id)
    ).one_or_none()
    if prop is None:
        return []
    entrances = session.execute(
        select(Entrance.__table__).filter_by(property_id=citizen.property_id)
    ).all()
    return [{**_row(prop), "entrances": [_row(e) for e in entrances]}]


def _audit(session, citizen_id: int) -> list[dict]:
    records = session.scalars(
        select(AuditRecord)
        .where(
            or_(
                (AuditRecord.object_type == "citizen") & (AuditRecord.object_id == str(citizen_id)),
                AuditRecord.on_behalf_of == f"citizen:{citizen_id}",
            )
        )
        .order_by(AuditRecord.seq)
    )
    return [
        {
            "seq": r.seq,
            "at": _value(r.at),
            "actor": r.actor,
            "on_behalf_of": r.on_behalf_of,
            "action": r.action,
            "purpose": (r.data or {}).get("purpose"),
            "data": r.data,
        }
        for r in records
    ]


def _section(key: str, rows: list[dict], days: dict, children=None) -> dict:
    # A table nobody described yet is still exported (a test makes sure it gets described).
    meta = catalog.SECTIONS.get(key) or catalog.Section(key, key, "", "")
    kind = "register" if key == "citizen" else catalog.TABLES.get(key, (None,))[0]
    return {
        "key": key,
        "title": str(meta.title),
        "purpose": str(meta.purpose),
        "legal_basis": str(meta.basis),
        "retention_kind": kind,
        "retention_days": days.get(kind) if kind else None,
        "rows": rows,
        "related": children or {},
    }


def build(session, keyring, citizen: Citizen, *, now: datetime, lang: str) -> dict:
    """The whole export as plain JSON-ready data, its texts in `lang`."""
    days = retention.periods(session)
    with force_locale(lang):
        sections = [_section("citizen", [_citizen(citizen, keyring)], days)]
        for table in catalog.citizen_tables(db.metadata):
            rows = table_rows(session, table, citizen.id)
            ids = [r._mapping[table.primary_key.columns.values()[0].name] for r in rows]
            sections.append(
                _section(table.name, [_row(r) for r in rows], days, _children(session, table, ids))
            )
        sections.append(_section("consent", _consent(session, citizen), days))
        sections.append(_section("audit", _audit(session, citizen.id), days))
    return {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "citizen_id": citizen.id,
        "language": lang,
        "sections": sections,
    }
