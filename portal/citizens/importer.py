"""Import preview and commit: validate every row, then write the valid ones in one transaction."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.access.models import CareGroup, Provider
from portal.audit.services import Actor, record
from portal.citizens import csvfile, validation
from portal.citizens.models import Citizen, ImportBatch
from portal.citizens.register import NATIONAL_ID_PURPOSE, create_citizen
from portal.rollout.models import District

LANGS = {"da": "da", "dansk": "da", "sv": "sv", "svenska": "sv", "en": "en", "english": "en"}
YES = {"yes", "ja", "j", "y", "1", "true", "x"}
NO = {"no", "nej", "n", "0", "false", ""}
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


class AlreadyImported(ValueError):
    """The batch was confirmed before (perhaps a moment ago, by a double click)."""


@dataclass
class RowError:
    """One problem: file row number, column name and a translatable reason."""

    row: int
    column: str
    message: object


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


def _shown(value: str) -> str:
    # Lazy messages are escaped as a whole when rendered (portal/i18n.py), so no escaping here.
    return value[:60]


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _Lookups:
    def __init__(self, session):
        self.districts = {d.name.lower(): d for d in session.scalars(select(District))}
        self.providers = {p.name.lower(): p for p in session.scalars(select(Provider))}
        self.groups = {
            (g.provider_id, g.name.lower()): g for g in session.scalars(select(CareGroup))
        }


def _check_row(number, raw, look, country, default_lang, errors) -> dict | None:
    def bad(column, message):
        errors.append(RowError(number, column, message))

    if "__shape__" in raw:
        bad(
            "-",
            _l(
                "The row has %(got)s columns, the header has %(want)s",
                got=raw["__shape__"].split("/")[0],
                want=raw["__shape__"].split("/")[1],
            ),
        )
        return None
    before = len(errors)
    for column in csvfile.COLUMNS:
        if len(raw.get(column, "")) > csvfile.MAX_FIELD:
            bad(column, _l("Too long (at most %(n)s characters)", n=csvfile.MAX_FIELD))
    for column in csvfile.REQUIRED:
        if not raw.get(column):
            bad(column, _l("Missing: this column is required"))
    if len(errors) > before:
        return None
    out = {
        "external_id": raw["external_id"],
        "name": raw["name"],
        "address": raw["address"],
        "postcode": raw["postcode"],
        "city": raw["city"],
    }
    try:
        out["national_id"] = validation.normalise_national_id(raw["national_id"], country)
    except ValueError:
        bad(
            "national_id",
            _l("Not a valid CPR number")
            if country == "DK"
            else _l("Not a valid personal identity number"),
        )
    out["date_of_birth"] = _parse_date(raw["date_of_birth"])
    if out["date_of_birth"] is None:
        bad("date_of_birth", _l("Not a date (use YYYY-MM-DD or DD-MM-YYYY)"))
    elif "national_id" in out:
        encoded = validation.birth_date_of(out["national_id"], country)
        if encoded and encoded != out["date_of_birth"]:
            bad("date_of_birth", _l("Does not match the date in the national id"))
    out["phone"] = None
    if raw.get("phone"):
        out["phone"] = validation.normalise_phone(raw["phone"], country)
        if out["phone"] is None:
            bad("phone", _l("Not a valid phone number"))
    out["email"] = None
    if raw.get("email"):
        out["email"] = validation.normalise_email(raw["email"])
        if out["email"] is None:
            bad("email", _l("Not a valid email address"))
    out["language"] = LANGS.get(raw.get("language", "").lower())
    if raw.get("language") and out["language"] is None:
        bad("language", _l("Unknown language (use da, sv or en)"))
    out["language"] = out["language"] or default_lang
    district = look.districts.get(raw.get("district", "").lower())
    if district is None:
        bad("district", _l("Unknown district: %(name)s", name=_shown(raw.get("district", ""))))
    provider = look.providers.get(raw.get("provider", "").lower())
    if provider is None:
        bad("provider", _l("Unknown provider: %(name)s", name=_shown(raw.get("provider", ""))))
    group = None
    if raw.get("care_group") and provider is not None:
        group = look.groups.get((provider.id, raw["care_group"].lower()))
        if group is None:
            bad(
                "care_group",
                _l(
                    "Unknown care group for this provider: %(name)s", name=_shown(raw["care_group"])
                ),
            )
    alarm = raw.get("emergency_alarm", "").lower()
    if alarm not in YES | NO:
        bad("emergency_alarm", _l("Write yes or no"))
    out["emergency_alarm"] = alarm in YES
    if len(errors) > before:
        return None
    out["district_id"], out["provider_id"] = district.id, provider.id
    out["care_group_id"] = group.id if group else None
    return out


def preview(session, keyring, raw: bytes, *, country: str, default_language: str) -> Preview:
    """Check every row against the register without writing anything."""
    parsed = csvfile.read_csv(raw)
    result = Preview(encoding=parsed.encoding, delimiter=parsed.delimiter, notices=parsed.notices)
    look = _Lookups(session)
    seen_ext, seen_nid = {}, {}
    existing = {c.external_id: c for c in session.scalars(select(Citizen))}
    by_index = {c.national_id_index: c for c in existing.values()}
    for number, raw_row in parsed.rows:
        row = _check_row(number, raw_row, look, country, default_language, result.errors)
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
                        other=_shown(holder.external_id),
                    ),
                )
            )
            continue
        row["row"] = number
        if current is None:
            result.create.append(row)
            continue
        changed = [k for k in COMPARED if getattr(current, k) != row[k]]
        if holder is None:
            changed.append("national_id")
        if changed:
            row["changed"] = changed
            result.update.append(row)
        else:
            result.unchanged += 1
    return result


def store_upload(session, filename: str, raw: bytes, user_id: int, now) -> ImportBatch:
    """Keep the uploaded file until the coordinator confirms (caller commits)."""
    batch = ImportBatch(
        filename=filename[:255],
        content=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        uploaded_by=user_id,
        created_at=now,
    )
    session.add(batch)
    session.flush()
    return batch


def commit_import(
    session, keyring, batch: ImportBatch, *, actor: Actor, now, country: str, default_language: str
) -> dict:
    """Write the valid rows of a previewed file in one transaction; return the counts."""
    # Claim the batch with one conditional UPDATE: of two confirmations racing (a double
    # click), the second waits for the first's row lock, then finds nothing to claim.
    claimed = session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == "previewed")
        .values(status="importing")
    ).rowcount
    if not claimed:
        session.rollback()
        raise AlreadyImported(batch.id)
    plan = preview(
        session, keyring, batch.content, country=country, default_language=default_language
    )
    for row in plan.create:
        create_citizen(session, keyring, row, now=now)
    for row in plan.update:
        citizen = session.scalar(select(Citizen).where(Citizen.external_id == row["external_id"]))
        for key in COMPARED:
            setattr(citizen, key, row[key])
        if "national_id" in row["changed"]:
            citizen.national_id_enc = keyring.encrypt(row["national_id"], NATIONAL_ID_PURPOSE)
            citizen.national_id_index = keyring.blind_index(row["national_id"], NATIONAL_ID_PURPOSE)
            citizen.national_id_masked = validation.mask_national_id(row["national_id"], country)
        citizen.updated_at = now
    counts = {
        "created": len(plan.create),
        "updated": len(plan.update),
        "unchanged": plan.unchanged,
        "errors": len(plan.errors),
    }
    batch.status, batch.result = "imported", json.dumps(counts)
    record(
        session,
        actor,
        "import",
        now=now,
        object_type="import",
        object_id=batch.id,
        data={"file_sha256": batch.sha256, **counts},
    )
    session.commit()
    return counts


def total_citizens(session) -> int:
    """How many citizens are registered."""
    return session.scalar(select(func.count(Citizen.id)))
