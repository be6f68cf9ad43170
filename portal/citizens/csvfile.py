"""Reading a care-system CSV export: encoding, delimiter and header detection.

A value longer than the csv module's field limit (131,072 characters: a guard on memory and
time) does not refuse the file: its record is read on without keeping the value
(`csvrecords.long_field`) and becomes a row marked `__too_long__` with the column, which the
import's row check reports as that row's error, as it does a value over MAX_FIELD. Only a
header that long refuses the file.

Rows are numbered as a spreadsheet shows the file, the header being row 1: by record, not by
text line, so a quoted value over several lines is one row. Row errors (`ParsedFile.rows`) and
file errors (`FileProblem` details `row`) count the same way, so a coordinator finds both
under the number given.
"""

import csv
import itertools
import re
from dataclasses import dataclass, field

from portal.citizens.columns import COLUMNS, REQUIRED, header_key, label_aliases
from portal.citizens.csvrecords import Lines, Malformed, TooLong, long_field

MAX_FIELD = 500
# Columns a header may have: care-system exports have tens. Each name is compared with the
# known ones, so a 5 MB header of empty names took seconds of a web worker per look.
MAX_COLUMNS = 200
# Header names as care systems (and people) commonly write them, each for one of COLUMNS, compared
# after `header_key`. The portal's own labels for the columns, in every language it ships, are
# accepted as well (`columns.label_aliases`): they are not repeated here.
ALIASES = {
    "external_id": (
        "ekstern_id",
        "externt_id",
        "extern_id",
        "borger_id",
        "borgerid",
        "brukar_id",
        "brukarid",
        "klient_id",
        "klientid",
        "klientnummer",
        "kundnummer",
        "system_id",
    ),
    "national_id": (
        "cpr",
        "cpr_nr",
        "cprnr",
        "cpr_nummer",
        "cprnummer",
        "personnummer",
        "personnr",
        "person_nr",
        "pnr",
        "samordningsnummer",
        "personal_identity_number",
        "ssn",
    ),
    "name": (
        "navn",
        "namn",
        "fulde_navn",
        "fulde_navn",
        "fullstandigt_namn",
        "fullständigt_namn",
        "borgernavn",
        "borger_navn",
        "brukarnamn",
        "brukare",
        "full_name",
    ),
    "date_of_birth": (
        "fødselsdato",
        "foedselsdato",
        "fodselsdato",
        "födelsedatum",
        "fodelsedatum",
        "födelsedag",
        "birth_date",
        "birthdate",
        "dob",
        "født",
        "född",
    ),
    "address": ("adresse", "adress", "gadeadresse", "gatuadress", "bopæl", "street"),
    "postcode": ("postnummer", "postnr", "post_nr", "zip", "zip_code", "postal_code"),
    "city": ("by", "bynavn", "postdistrikt", "ort", "postort", "town"),
    "phone": (
        "telefon",
        "telefonnummer",
        "telefonnr",
        "tlf",
        "tlf_nr",
        "tlfnr",
        "mobil",
        "mobilnummer",
        "mobiltelefon",
        "telephone",
        "mobile",
    ),
    "email": ("e_mail", "mail", "e_post", "epost", "e_mail_adresse", "e_postadress"),
    "language": ("sprog", "språk", "sprak", "sprache"),
    "district": ("distrikt", "område", "omrade", "hemtjänstområde", "plejedistrikt", "area"),
    "provider": (
        "leverandør",
        "leverandor",
        "udbyder",
        "utförare",
        "utforare",
        "leverantör",
        "leverantor",
        "hjemmeplejeleverandør",
    ),
    "care_group": (
        "gruppe",
        "plejegruppe",
        "hjemmeplejegruppe",
        "grupp",
        "hemtjänstgrupp",
        "hemtjanstgrupp",
        "team",
        "arbejdsgruppe",
    ),
    "emergency_alarm": (
        "nødkald",
        "nodkald",
        "nødkaldeanlæg",
        "trygghetslarm",
        "trygghedsalarm",
        "larm",
        "alarm",
        "personal_alarm",
    ),
}
KNOWN = {alias: column for column, names in ALIASES.items() for alias in names} | {
    column: column for column in COLUMNS
}


class FileProblem(ValueError):
    """The file as a whole cannot be read; `code` says why, for a translated message."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass
class ParsedFile:
    """Rows as dicts keyed by column, with the facts about how the file was read."""

    rows: list[tuple[int, dict]]
    encoding: str
    delimiter: str
    notices: list[str] = field(default_factory=list)
    # Each column as the file's header names it ("Personnummer"), for the error table.
    headers: dict[str, str] = field(default_factory=dict)


def _decode(raw: bytes) -> tuple[str, str, list[str]]:
    if b"\x00" in raw:  # anywhere: one NUL deep in a file would fail the write on PostgreSQL
        raise FileProblem("binary")
    try:
        return raw.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 mark before text that is not UTF-8
    # Danish and Swedish Excel save "CSV" as Windows-1252; read it, but say so in the preview.
    try:
        return raw.decode("cp1252"), "Windows-1252", ["encoding_cp1252"]
    except UnicodeDecodeError as exc:
        raise FileProblem("encoding") from exc


def _header_key(text: str, labels: dict[str, str]) -> str:
    key = header_key(text)
    return KNOWN.get(key) or labels.get(key) or labels.get(key.replace("_", "")) or key


def _records(reader, lines: Lines, delimiter: str):
    """Each record's values (a `TooLong` for a record with a value over the csv module's
    limit); a csv.Error becomes a FileProblem naming the record it was found in."""
    for row in itertools.count(1):
        lines.record = []
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise FileProblem("malformed", row=row) from exc
            if row == 1:  # no header, no columns: nothing below it can be read
                raise FileProblem("header_too_long", limit=csv.field_size_limit()) from exc
            try:
                yield TooLong(long_field(lines, delimiter))
            except Malformed:
                raise FileProblem("malformed", row=row) from exc


def _header_line(line: str, delimiter: str) -> str:
    """The header line with spaces after a closing quotation mark dropped (`"Navn" ;`), which
    the strict reader would refuse."""
    spaces = "[" + re.escape(" \t".replace(delimiter, "")) + "]+"
    return re.sub(f'"{spaces}(?={re.escape(delimiter)}|$)', '"', line)


def _column_at(header: list[str], position: int) -> str:
    return header[position] if position < len(header) and header[position] else "-"


def read_csv(
    raw: bytes, max_rows: int = 100_000, *, columns=COLUMNS, required=REQUIRED, labels=None
) -> ParsedFile:
    """Decode and split a CSV file; raise FileProblem when it is not a usable export.

    `columns`, `required` and `labels` (as `columns.LABELS`) name the header another import
    (e.g. properties) expects.
    """
    if not raw.strip():
        raise FileProblem("empty")
    text, encoding, notices = _decode(raw)
    # A byte-order mark left over (written twice) and blank lines are no header either.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FileProblem("empty")
    first, _newline, rest = text.partition("\n")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise FileProblem("delimiter")
    lines = Lines(_header_line(first, delimiter) + _newline + rest)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    records = _records(reader, lines, delimiter)
    written = next(records, None)
    if written is None:
        raise FileProblem("malformed", row=1)
    if len(written) > MAX_COLUMNS:
        raise FileProblem("too_many_columns", limit=MAX_COLUMNS)
    labels = {key: c for key, c in label_aliases(labels).items() if c in columns}
    header = [_header_key(h, labels) for h in written]
    missing = [c for c in required if c not in header]
    if missing:
        raise FileProblem("columns", missing=", ".join(missing), delimiter=delimiter)
    unknown = [h for h in header if h and h not in columns]
    if unknown:
        notices.append("unknown_columns:" + ", ".join(unknown[:10]))
    rows = []
    for number, values in enumerate(records, start=2):
        if not isinstance(values, TooLong) and not any(v.strip() for v in values):
            continue
        if len(rows) >= max_rows:
            raise FileProblem("too_many_rows", limit=max_rows)
        if isinstance(values, TooLong):
            rows.append((number, {"__too_long__": _column_at(header, values.column)}))
            continue
        if len(values) != len(header):
            rows.append((number, {"__shape__": f"{len(values)}/{len(header)}"}))
            continue
        rows.append((number, {h: v.strip() for h, v in zip(header, values, strict=True) if h}))
    if not rows:
        raise FileProblem("no_rows")
    headers = {
        key: text.replace("\ufeff", "").strip().strip('"')
        for key, text in zip(header, written, strict=True)
    }
    return ParsedFile(rows, encoding, delimiter, notices, headers)
