"""The reports as files: CSV streamed row by row, XLSX written in chunks to a temporary file.

Both hold one batch of rows at a time, whatever the report's length. Text cells are made
harmless the same way in both (`csvcells.safe_cell`: a piece that would start a formula gets an
apostrophe), and in XLSX every text cell is also stored with the string type, so no cell of
ours is ever a formula; numbers are stored as numbers, and a moment (a naive local `datetime`)
as a date and time that a spreadsheet sorts and filters as one (the CSV writes it as
"2026-11-06 10:05"). The CSV uses `;` (Danish and Swedish
spreadsheets split on it; their decimal comma would clash with `,`) and starts with a byte
order mark so they read UTF-8.
"""

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal.documents import csvcells

CHUNK_ROWS = 500
BOM = "\ufeff"
MOMENT_TEXT = "%Y-%m-%d %H:%M"
MOMENT_XLSX = "yyyy-mm-dd hh:mm"


def _csv_value(value):
    return value.strftime(MOMENT_TEXT) if isinstance(value, datetime) else value


def csv_chunks(header: list[str], rows: Iterable, cells: Callable) -> Iterator[str]:
    """The CSV text in chunks of CHUNK_ROWS rows: `cells(row)` gives a row's values."""
    buffer = io.StringIO()
    writer = csvcells.writer(buffer, delimiter=";")
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(v) for v in cells(row)])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(sheet, value):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MOMENT_XLSX
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=csvcells.safe_cell(value))
        cell.data_type = "s"  # never a formula, whatever the text looks like
        return cell
    return WriteOnlyCell(sheet, value=value)


def xlsx_file(title: str, header: list[str], rows: Iterable, cells: Callable):
    """An XLSX workbook in a temporary file (rewound, deleted when closed)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=csvcells.safe_cell(title)[:31] or "Report")
    sheet.append([_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in cells(row)])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (send_file closes it)
    book.save(out)
    out.seek(0)
    return out
