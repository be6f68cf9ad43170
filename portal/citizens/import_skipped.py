"""The rows an import skipped, kept with its result so the receipt still says which rows and
why once the file is deleted.

Each message is kept as its source text and values, not as words, so the receipt reads in the
language of whoever opens it. Only row numbers, columns and the messages are kept: the values a
message quotes (an unknown district's name) are the ones the preview showed, cut short, and
only for IMPORT_DETAILS_DAYS after the import (`uploads.forget_details` drops them).
"""

from dataclasses import dataclass, field

from flask_babel import LazyString, gettext, ngettext, pgettext

from portal.citizens.columns import shown
from portal.citizens.import_rows import RowError

# A receipt lists at most this many rows, as the preview shows at most this many.
MAX_ROWS = 500
_FUNCTIONS = {f.__name__: f for f in (gettext, ngettext, pgettext)}


@dataclass
class Skipped:
    """The skipped rows as the receipt shows them; `column` names a column as the preview did."""

    rows: list[tuple[int, list[RowError]]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    labels: object = None
    # Days after which the rows were deleted (`uploads.forget_details`); None while kept.
    deleted_after: int | None = None

    def column(self, key: str) -> str:
        """The column's label with the file's header (`columns.shown`)."""
        return shown(self.labels(key), self.headers.get(key, key))


def _dump(message):
    # Flask-Babel's LazyString keeps its function and arguments (_func, _args, _kwargs); a
    # message of any other kind is kept as the words it has now.
    func = getattr(message, "_func", None)
    if isinstance(message, LazyString) and _FUNCTIONS.get(getattr(func, "__name__", "")) is func:
        values = {k: _dump(v) for k, v in message._kwargs.items()}
        return {"f": func.__name__, "a": list(message._args), "k": values}
    return message if isinstance(message, int) else str(message)


def _load(data):
    if isinstance(data, dict):
        values = {k: _load(v) for k, v in data["k"].items()}
        return LazyString(_FUNCTIONS[data["f"]], *data["a"], **values)
    return data


def dump(errors: list[RowError], headers: dict[str, str]) -> dict:
    """The skipped rows of a preview's errors, for the import's stored result (JSON)."""
    rows: dict[object, list[RowError]] = {}
    for error in errors:
        rows.setdefault(error.row, []).append(error)
    kept = list(rows.items())[:MAX_ROWS]
    used = {e.column for _row, problems in kept for e in problems}
    return {
        "rows": [[row, [[e.column, _dump(e.message)] for e in problems]] for row, problems in kept],
        "headers": {k: v for k, v in headers.items() if k in used},
    }


def load(result: dict, labels) -> Skipped:
    """The skipped rows of a stored result (none for an import stored before they were kept,
    or once they are deleted: then `deleted_after` says when); `labels(key)` is the import's
    column label."""
    stored = result.get("skipped") or {"rows": [], "headers": {}}
    rows = [
        (row, [RowError(row, column, _load(message)) for column, message in problems])
        for row, problems in stored["rows"]
    ]
    deleted = result.get("skipped_deleted") or {}
    after = deleted.get("days") if deleted.get("rows") else None
    return Skipped(rows, stored["headers"], labels, after)
