"""Sign test clients in without going through rate limits twice."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db as _db
from tests.factories import PASSWORD


def sign_in_staff(client, user, password=PASSWORD):
    """POST the staff sign-in form; returns the response."""
    response = client.post("/sign-in/staff", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def sign_in_citizen(client, citizen, relative=None):
    """Sign in with the citizen's letter code and date of birth (as a relative if given)."""
    born = citizen.date_of_birth
    data = {"code": citizen.code, "day": born.day, "month": born.month, "year": born.year}
    url = "/sign-in/citizen"
    if relative:
        url = "/sign-in/relative"
        data.update(relative)
    response = client.post(url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


@contextmanager
def statements(app, full: bool = False):
    """The SQL statements the app sends while the block runs: their first word, or all of it."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement if full else statement.split(None, 1)[0].upper())

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
