"""GET and HEAD change nothing.

Flask-WTF asks for the CSRF token only on POST, PUT, PATCH and DELETE, so a GET that wrote
could be set off by any page or e-mail that links to it. The portal holds every GET and HEAD
to reading: the database connection it is served on refuses any statement but a SELECT
(`portal.connections.WriteOnSafeRequest`, a 500 and a failing test rather than a forged
link), and on PostgreSQL it reads in autocommit, two round trips fewer per page, without
letting psycopg prepare its statements (portal.connections says why). A view that has to
write when it is opened says so with `@writes_on_get` (the eID callback, the field bulletin);
what is written because something was read calls `connections.write_after_all`.
"""

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from portal.connections import READS_ONLY, allow_writes
from portal.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writes_on_get(view):
    """Mark a view that must write although it is opened with GET."""
    view.writes_on_get = True
    return view


def begin_reading() -> None:
    """before_request, the first: a GET or HEAD to a view that does not write only reads."""
    if request.method in SAFE_METHODS:
        view = current_app.view_functions.get(request.endpoint)
        if not getattr(view, "writes_on_get", False):
            setattr(g, READS_ONLY, True)


def end_reading(_exc=None) -> None:
    """teardown_request: a connection the session still holds goes back to ordinary use.

    In production the session ends with the request's app context just after this; a test
    that sends a request inside an app context of its own keeps its session, and may write."""
    if g.pop(READS_ONLY, False) and db.session.registry.has():
        session = db.session()
        if session.in_transaction():
            try:
                connection = session.connection()
            except SQLAlchemyError:  # a refused flush: the session hands nothing out until
                return  # it rolls back, and the next checkout decides again
            allow_writes(connection)


def init_app(app) -> None:
    """Register the hooks, the first before_request of all."""
    app.before_request_funcs.setdefault(None, []).insert(0, begin_reading)
    app.teardown_request(end_reading)
