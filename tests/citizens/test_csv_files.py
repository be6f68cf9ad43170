"""Reading exports as they come out of real care systems and spreadsheets, and bad files."""

import contextlib
import random

import pytest

from portal.citizens.csvfile import FileProblem, read_csv
from tests.citizens.csvdata import COLUMNS, csv_bytes, row

DANISH = row(1, name="Søren Ærbø Åberg", address="Nørregade 7", city="Græsted")


@pytest.mark.parametrize(
    ("kwargs", "encoding", "delimiter", "notices"),
    [
        ({}, "UTF-8", ",", []),
        ({"bom": True}, "UTF-8", ",", []),
        ({"newline": "\r\n"}, "UTF-8", ",", []),
        ({"newline": "\r"}, "UTF-8", ",", []),
        ({"delimiter": ";"}, "UTF-8", ";", []),
        ({"delimiter": ";", "newline": "\r\n", "bom": True}, "UTF-8", ";", []),
        ({"delimiter": "\t"}, "UTF-8", "\t", []),
        ({"encoding": "cp1252"}, "Windows-1252", ",", ["encoding_cp1252"]),
        (
            {"encoding": "cp1252", "delimiter": ";", "newline": "\r\n"},
            "Windows-1252",
            ";",
            ["encoding_cp1252"],
        ),
    ],
    ids=["utf8", "bom", "crlf", "cr", "semicolon", "excel-da", "tab", "cp1252", "cp1252-excel"],
)
def test_exports_are_read_with_their_encoding_and_separator(kwargs, encoding, delimiter, notices):
    parsed = read_csv(csv_bytes([DANISH, row(2)], **kwargs))
    assert (parsed.encoding, parsed.delimiter, parsed.notices) == (encoding, delimiter, notices)
    assert [number for number, _ in parsed.rows] == [2, 3]
    first = parsed.rows[0][1]
    assert set(first) == set(COLUMNS)
    assert (first["name"], first["city"]) == ("Søren Ærbø Åberg", "Græsted")
    assert first["external_id"] == "CS-00001"  # no BOM glued to the first header


def test_header_names_are_forgiving_and_unknown_columns_noticed():
    header = [
        "External ID",
        " National-ID",
        '"Name"',
        "DATE OF BIRTH",
        "address",
        "postcode",
        "city",
        "shoe size",
    ]
    raw = (",".join(header) + "\nX1,2403411234,A,1941-03-24,B,4100,C,44\n").encode()
    parsed = read_csv(raw)
    assert parsed.rows[0][1]["external_id"] == "X1"
    assert parsed.notices == ["unknown_columns:shoe_size"]


def test_quoted_fields_may_hold_separators_quotes_and_line_breaks():
    tricky = row(1, name='Jensen, "Bedste" Anna', address="Vej 1\nbaghuset")
    parsed = read_csv(csv_bytes([tricky, row(2)]))
    assert parsed.rows[0][1]["name"] == 'Jensen, "Bedste" Anna'
    assert parsed.rows[0][1]["address"] == "Vej 1\nbaghuset"
    assert [n for n, _ in parsed.rows] == [2, 3]  # spreadsheet rows, not text lines


def test_blank_lines_are_skipped():
    raw = csv_bytes([row(1)]) + b"\n,,,,,,,,,,,,,\n\n" + csv_bytes([row(2)]).split(b"\n", 1)[1]
    assert len(read_csv(raw).rows) == 2


def _garbage(seed: int, size: int = 3000, nul: bool = True) -> bytes:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(size))
    return data if nul else data.replace(b"\x00", b"\x01")


BAD_FILES = [
    ("empty", b"", "empty"),
    ("whitespace", b"  \r\n\n ", "empty"),
    ("header only", csv_bytes([]), "no_rows"),
    ("header and blank rows", csv_bytes([]) + b"\n\n", "no_rows"),
    ("no separator", b"just one column\nand another line\n", "delimiter"),
    ("missing columns", b"external_id,name\nX1,Anna\n", "columns"),
    ("unbalanced quotes", csv_bytes([row(1)]) + b'CS-2,"2403411234,Anna\n', "malformed"),
    ("quote in header", b'"external_id,national_id\n', "malformed"),
    ("binary with NUL", _garbage(1), "binary"),
    ("PNG image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _garbage(2), "binary"),
    ("NUL deep in the file", csv_bytes([row(i) for i in range(60)]) + b"X,\x00\n", "binary"),
    ("UTF-16 export", csv_bytes([row(1)]).decode().encode("utf-16"), "binary"),
    ("undecodable bytes", b"external_id,national_id\n\x81\x8d\x8f\x90\x9d\n", "encoding"),
]


@pytest.mark.parametrize(("case", "raw", "code"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_unusable_files_raise_a_named_problem(case, raw, code):
    with pytest.raises(FileProblem) as problem:
        read_csv(raw)
    assert problem.value.code == code, case


def test_missing_columns_are_named_with_the_separator_found():
    with pytest.raises(FileProblem) as problem:
        read_csv(b"external_id;name;city\nX1;Anna;By\n")
    assert problem.value.details == {
        "missing": "national_id, date_of_birth, address, postcode",
        "delimiter": ";",
    }


def test_too_many_rows_is_a_problem():
    with pytest.raises(FileProblem) as problem:
        read_csv(csv_bytes([row(i) for i in range(5)]), max_rows=4)
    assert problem.value.code == "too_many_rows"


@pytest.mark.parametrize("seed", range(20))
def test_random_garbage_never_escapes_as_anything_but_a_file_problem(seed):
    raw = _garbage(seed, size=random.Random(seed).randrange(1, 4000), nul=seed % 2 == 0)
    with contextlib.suppress(FileProblem):
        read_csv(raw)


def test_huge_field_is_a_row_error_not_a_crash():
    raw = csv_bytes([row(1, name="x" * 200_000)])
    assert read_csv(raw).rows == [(2, {"__too_long__": "name"})]
