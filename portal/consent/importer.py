"""Import of properties and entrances: preview every row, then write the valid ones at once.

The upload is kept as the citizen import keeps it (`ImportBatch`, kind "properties"), so any
worker may confirm it, and a double click imports once. Owners are found by organisation
number, else by name, and created when missing; a property whose owner differs from the
register's is sold (`register.save_property`).
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.audit.services import Actor
from portal.citizens import csvfile, import_skipped
from portal.citizens import importer as citizen_importer
from portal.citizens.import_rows import RowError
from portal.citizens.models import ImportBatch
from portal.consent import import_columns, register
from portal.consent.import_rows import COLUMNS, REQUIRED, check_row
from portal.consent.models import OwnerOrganisation, Property
from portal.directory.models import District

KIND = "properties"
ENTRANCE_COMPARED = ("kind", "door_phone", "electric_strike", "power_source")
PROPERTY_COMPARED = ("name", "property_number", "address", "postcode", "city", "district_id")


class AlreadyImported(ValueError):
    """The batch was confirmed before (perhaps a moment ago, by a double click)."""


@dataclass
class Preview:
    """What confirming the import would do."""

    new_owners: list[str] = field(default_factory=list)
    new_properties: list[dict] = field(default_factory=list)
    changed_properties: list[dict] = field(default_factory=list)
    new_entrances: list[dict] = field(default_factory=list)
    changed_entrances: list[dict] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    encoding: str = "UTF-8"
    delimiter: str = ","
    notices: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def column(self, key: str) -> str:
        """A column as an error names it: "Door phone (door_phone)"."""
        return import_columns.column_name(key, self.headers.get(key))

    @property
    def writes(self) -> int:
        """How many properties and entrances confirming creates or changes."""
        return sum(
            len(x)
            for x in (
                self.new_properties,
                self.changed_properties,
                self.new_entrances,
                self.changed_entrances,
            )
        )


class _Register:
    """The register as the preview sees it, with what earlier rows of the file add."""

    def __init__(self, session):
        self.owners_by_number, self.owners_by_name = {}, {}
        for owner in session.scalars(select(OwnerOrganisation)):
            if owner.org_number:
                self.owners_by_number[owner.org_number] = owner
            self.owners_by_name.setdefault(owner.name.lower(), owner)
        props = session.scalars(select(Property).options(selectinload(Property.entrances)))
        self.by_number, self.by_address = {}, {}
        for prop in props:
            if prop.property_number:
                self.by_number[prop.property_number] = prop
            self.by_address[(prop.address.lower(), prop.postcode)] = prop

    def owner(self, row):
        if row["owner_org_number"]:
            return self.owners_by_number.get(row["owner_org_number"])
        return self.owners_by_name.get(row["owner"].lower())

    def prop(self, row):
        if row["property_number"] and row["property_number"] in self.by_number:
            return self.by_number[row["property_number"]]
        return self.by_address.get((row["address"].lower(), row["postcode"]))


def _property_key(row) -> tuple:
    return row["property_number"] or (row["address"].lower(), row["postcode"])


def preview(session, raw: bytes, *, country: str, language: str) -> Preview:
    """Check every row against the register without writing anything (an owner's empty
    language is `language`, the municipality's own: BABEL_DEFAULT_LOCALE)."""
    parsed = csvfile.read_csv(
        raw, columns=COLUMNS, required=REQUIRED, labels=import_columns.aliases()
    )
    result = Preview(
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        notices=parsed.notices,
        headers=parsed.headers,
    )
    districts = {d.name.lower(): d for d in session.scalars(select(District))}
    known = _Register(session)
    seen_entrances, seen_props, new_owner_keys = {}, {}, set()
    for number, raw_row in parsed.rows:
        row = check_row(number, raw_row, districts, result.errors, country, language=language)
        if row is None:
            continue
        row["row"] = number
        key = _property_key(row)
        entrance_key = (key, row["entrance"].lower())
        if entrance_key in seen_entrances:
            other = seen_entrances[entrance_key]
            message = _l("Duplicate in the file (also on row %(other)s)", other=other)
            result.errors.append(RowError(number, "entrance", message))
            continue
        seen_entrances[entrance_key] = number
        owner = known.owner(row)
        if (
            owner is None
            and (row["owner_org_number"] or row["owner"].lower()) not in new_owner_keys
        ):
            new_owner_keys.add(row["owner_org_number"] or row["owner"].lower())
            result.new_owners.append(row["owner"])
        prop = known.prop(row)
        if key not in seen_props:
            seen_props[key] = number
            if prop is None:
                result.new_properties.append(row)
            else:
                changed = [k for k in PROPERTY_COMPARED if row[k] != getattr(prop, k)]
                if owner is None or owner.id != prop.owner_id:
                    changed.append("owner")
                if changed:
                    result.changed_properties.append({**row, "changed": changed})
        entrance = None
        if prop is not None:
            entrance = next(
                (e for e in prop.entrances if e.label.lower() == row["entrance"].lower()), None
            )
        if entrance is None:
            result.new_entrances.append(row)
            continue
        changed = [k for k in ENTRANCE_COMPARED if row[k] != getattr(entrance, k)]
        if changed:
            result.changed_entrances.append({**row, "changed": changed, "id": entrance.id})
        else:
            result.unchanged += 1
    return result


def _owner_for(session, known: _Register, row, *, now, actor) -> OwnerOrganisation:
    owner = known.owner(row)
    if owner is None:
        values = {
            "name": row["owner"],
            "org_number": row["owner_org_number"],
            "email": row["owner_email"],
            "contact_person": row["owner_contact"],
            "phone": row["owner_phone"],
            "language": row["owner_language"],
        }
        owner = register.save_owner(session, None, values, now=now, actor=actor)
        if owner.org_number:
            known.owners_by_number[owner.org_number] = owner
        known.owners_by_name.setdefault(owner.name.lower(), owner)
    return owner


def commit_import(
    session, batch: ImportBatch, *, now, actor: Actor, country: str, language: str
) -> dict:
    """Write the valid rows of a previewed file (flush; the caller commits); return the counts."""
    claimed = session.execute(
        update(ImportBatch)
        .where(
            ImportBatch.id == batch.id,
            ImportBatch.status == "previewed",
            ImportBatch.kind == KIND,
        )
        .values(status="importing")
    ).rowcount
    if not claimed:
        raise AlreadyImported(batch.id)
    raw = citizen_importer.read_upload(batch)
    plan = preview(session, raw, country=country, language=language)
    known = _Register(session)
    for row in plan.new_properties + plan.changed_properties:
        owner = _owner_for(session, known, row, now=now, actor=actor)
        prop = known.prop(row)
        values = {k: row[k] for k in PROPERTY_COMPARED} | {"owner_id": owner.id}
        saved = register.save_property(
            session, prop.id if prop else None, values, now=now, actor=actor
        )
        known.by_address[(saved.address.lower(), saved.postcode)] = saved
        if saved.property_number:
            known.by_number[saved.property_number] = saved
    for row in plan.new_entrances:
        prop = known.prop(row)
        values = {k: row[k] for k in ENTRANCE_COMPARED} | {"label": row["entrance"]}
        register.save_entrance(session, None, prop.id, values, now=now, actor=actor)
    for row in plan.changed_entrances:
        prop = known.prop(row)
        values = {k: row[k] for k in ENTRANCE_COMPARED}
        register.save_entrance(session, row["id"], prop.id, values, now=now, actor=actor)
    counts = {
        "owners": len(plan.new_owners),
        "properties": len(plan.new_properties),
        "changed": len(plan.changed_properties) + len(plan.changed_entrances),
        "changed_properties": len(plan.changed_properties),
        "changed_entrances": len(plan.changed_entrances),
        "entrances": len(plan.new_entrances),
        "unchanged": plan.unchanged,
        "errors": len(plan.errors),
        "error_rows": len({error.row for error in plan.errors}),
    }
    skipped = import_skipped.dump(plan.errors, plan.headers)
    return citizen_importer.finish(
        session, batch, counts, actor=actor, now=now, action="consent.import", skipped=skipped
    )
