"""A first load of reference data from CSV: districts, providers or care groups.

Headers may be English, Danish or Swedish. `plan()` checks every row without writing (rows
already present by name are left alone, so a file can be loaded twice); `apply()` creates the
new ones through the audited services. Used by the import page and `flask directory import`.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from portal.directory import reference
from portal.directory.models import CareGroup, District, Provider
from portal.phones import normalise_phone
from portal.web.text import CONTROL_MESSAGE, has_control

MAX_BYTES = 512 * 1024
COLUMNS = {
    "districts": {"name": ("navn", "namn", "distrikt", "område", "omrade", "district")},
    "providers": {
        "name": ("navn", "namn", "leverandør", "leverantör", "utförare", "provider"),
        "kind": ("type", "typ", "art", "slags", "kommunal_privat"),
        "contact_name": ("kontaktperson", "kontakt", "contact"),
        "phone": ("telefon", "tlf", "telefonnummer"),
        "email": ("e_mail", "e_post", "epost", "mail"),
    },
    "care_groups": {
        "name": ("navn", "namn", "gruppe", "grupp", "hemtjänstgrupp", "team", "care_group"),
        "provider": ("leverandør", "leverantör", "utförare", "udbyder"),
        "districts": ("distrikter", "distrikt", "områder", "områden", "område", "district"),
        "night_patrol": ("nattevagt", "nattpatrulje", "nattpatrull", "natt", "night"),
    },
}
REQUIRED = {
    "districts": ("name",),
    "providers": ("name",),
    "care_groups": ("name", "provider", "districts"),
}
KIND_WORDS = {
    "municipal": "municipal",
    "kommunal": "municipal",
    "private": "private",
    "privat": "private",
}
YES = {"yes", "ja", "j", "y", "1", "true", "x"}


class LoadProblem(ValueError):
    """The file as a whole cannot be used (message is translated)."""


@dataclass
class Plan:
    """What loading the file would create, what is already there, and the rows' problems."""

    kind: str
    create: list[dict] = field(default_factory=list)
    existing: int = 0
    errors: dict[int, list] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _key(text: str, aliases: dict) -> str:
    key = re.sub(r"[\s\-./]+", "_", text.strip().strip('"').lower()).strip("_")
    for column, names in aliases.items():
        if key == column or key in names:
            return column
    return key


def _rows(raw: bytes, kind: str):
    if len(raw) > MAX_BYTES:
        raise LoadProblem(_l("The file is larger than 512 kB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text or not text.strip():
        raise LoadProblem(_l("The file is empty or not a CSV text file."))
    first = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    written = next(reader)
    header = [_key(h, COLUMNS[kind]) for h in written]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise LoadProblem(_l("The header row is missing: %(names)s", names=", ".join(missing)))
    headers = {k: w.strip() for k, w in zip(header, written, strict=True)}
    rows = []
    for number, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            rows.append((number, {h: v.strip() for h, v in zip(header, values, strict=False)}))
    return rows, headers


def plan(session, kind: str, raw: bytes, *, country: str) -> Plan:
    """Check the file; raise LoadProblem when it cannot be read at all. Phones are checked
    for `country` (config COUNTRY) and kept in E.164, as the provider form keeps them."""
    if kind not in COLUMNS:
        raise LoadProblem(_l("Unknown kind of file."))
    rows, headers = _rows(raw, kind)
    result = Plan(kind, headers=headers)
    districts = {d.name.lower(): d for d in session.scalars(select(District))}
    providers = {p.name.lower(): p for p in session.scalars(select(Provider))}
    groups = {(g.provider_id, g.name.lower()) for g in session.scalars(select(CareGroup))}
    seen = set()
    for number, row in rows:
        problems = []

        def bad(column, message, problems=problems):
            problems.append((column, message))

        name = row.get("name", "")
        if not name:
            bad("name", _l("Missing: this column is required"))
        elif has_control(name):  # a quoted CSV value may hold a line break
            bad("name", CONTROL_MESSAGE)
        elif len(name) > 120:
            bad(
                "name",
                lazy_ngettext(
                    "Too long (at most %(num)s character)",
                    "Too long (at most %(num)s characters)",
                    120,
                ),
            )
        out = {"name": name, "row": number}
        key = (None, name.lower())
        if kind == "districts":
            known = name.lower() in districts
        elif kind == "providers":
            known = name.lower() in providers
            out["kind"] = KIND_WORDS.get(row.get("kind", "").lower() or "municipal")
            if out["kind"] is None:
                bad("kind", _l("Write municipal or private"))
            for column, limit in (("contact_name", 120), ("phone", 32), ("email", 254)):
                out[column] = row.get(column, "")
                if column == "contact_name" and has_control(out[column]):
                    bad(column, CONTROL_MESSAGE)
                elif len(out[column]) > limit:
                    bad(
                        column,
                        lazy_ngettext(
                            "Too long (at most %(num)s character)",
                            "Too long (at most %(num)s characters)",
                            limit,
                        ),
                    )
            if out["phone"] and all(column != "phone" for column, _m in problems):
                out["phone"] = normalise_phone(out["phone"], country)
                if out["phone"] is None:
                    bad("phone", _l("Not a valid phone number"))
        else:
            provider = providers.get(row.get("provider", "").lower())
            if provider is None:
                bad("provider", _l("Unknown provider: %(name)s", name=row.get("provider", "")[:60]))
            names = [n.strip() for n in re.split(r"[|,;/]", row.get("districts", "")) if n.strip()]
            unknown = [n for n in names if n.lower() not in districts]
            if not names or unknown:
                bad(
                    "districts",
                    _l("Unknown district: %(name)s", name=", ".join(unknown)[:60] or "-"),
                )
            out["provider_id"] = provider.id if provider else None
            out["district_ids"] = [districts[n.lower()].id for n in names if n.lower() in districts]
            out["night_patrol"] = row.get("night_patrol", "").lower() in YES
            key = (out["provider_id"], name.lower())
            known = key in groups
        if not problems and key in seen:
            bad("name", _l("Twice in the file"))
        seen.add(key)
        if problems:
            result.errors[number] = problems
        elif known:
            result.existing += 1
        else:
            result.create.append(out)
    return result


def apply(session, loaded: Plan, *, now, actor) -> int:
    """Create the plan's new records (flush; the caller commits); returns how many."""
    for row in loaded.create:
        data = {k: v for k, v in row.items() if k != "row"}
        if loaded.kind == "districts":
            reference.save_district(session, None, data["name"], now=now, actor=actor)
        elif loaded.kind == "providers":
            reference.save_provider(session, None, data, now=now, actor=actor)
        else:
            reference.save_care_group(session, None, data, now=now, actor=actor)
    return len(loaded.create)
