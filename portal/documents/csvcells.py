"""CSV files that spreadsheet programs open as text, never as formulas (CSV injection).

Excel and LibreOffice run a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage
return) as a formula. Danish and Swedish Excel split a line on `;`, English on `,`, and a file
may be opened either way, so every piece of a cell between `;`, `,` or tab separators is
checked: one that would start a formula gets a leading apostrophe, which the spreadsheet shows
as text. Every cell is quoted as well. Any CSV the portal writes goes through `writer()`.
"""

import csv
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PIECES = re.compile(r"([;,\t])")


def _neutral(piece: str) -> str:
    body = piece.lstrip(' "')
    if body[:1] in TRIGGERS:
        return piece[: len(piece) - len(body)] + "'" + body
    return piece


def safe_cell(value) -> str:
    """The cell as text, with every piece that could start a formula made harmless."""
    text = "" if value is None else str(value)
    if text[:1] in TRIGGERS:
        text = "'" + text
    return "".join(part if i % 2 else _neutral(part) for i, part in enumerate(_PIECES.split(text)))


class SafeWriter:
    """csv.writer that quotes every cell and neutralises formulas (see the module docstring)."""

    def __init__(self, fh, delimiter: str = ","):
        self._writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_ALL)

    def writerow(self, row) -> None:
        """Write one row of cells."""
        self._writer.writerow([safe_cell(v) for v in row])


def writer(fh, delimiter: str = ",") -> SafeWriter:
    """A CSV writer for a text file opened with newline=''."""
    return SafeWriter(fh, delimiter)
