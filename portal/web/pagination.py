"""One way to page a list: the page number from the query string, then db.paginate."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

from portal.extensions import db

LAST_PAGE_ASKED = 10**9  # a 20-digit page number is the last page, never an SQL overflow


def page_number(value) -> int:
    """The page asked for: a positive whole number, else 1."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return 1
    return max(1, min(int(text[:12]), LAST_PAGE_ASKED))


def paginate(stmt, page=None, per_page: int | None = None) -> Pagination:
    """One page of `stmt` (?page= by default, PAGE_SIZE rows); past the end: the last page."""
    per_page = per_page or current_app.config.get("PAGE_SIZE", 25)
    page = page_number(request.args.get("page") if page is None else page)
    result = db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
    last = max(1, result.pages)
    if page > last:
        result = db.paginate(stmt, page=last, per_page=per_page, error_out=False)
    return result
