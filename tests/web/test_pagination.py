"""portal.web.pagination: one way to read ?page= and page a statement with db.paginate."""

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.web.pagination import page_number, paginate
from tests.factories import make_user


@pytest.mark.parametrize(
    ("value", "page"),
    [(None, 1), ("", 1), ("0", 1), ("2", 2), ("-3", 1), ("x", 1), ("²", 1), ("9" * 30, 10**9)],
)
def test_page_number(value, page):
    assert page_number(value) == page


@pytest.mark.parametrize(
    ("asked", "shown", "names"), [("1", 1, [0, 1]), ("2", 2, [2]), ("7", 2, [2])]
)
def test_paginate_pages_and_keeps_a_page_past_the_end_on_the_last(app, db, asked, shown, names):
    users = [make_user(db, "locksmith") for _ in range(3)]
    db.commit()
    with app.test_request_context(f"/?page={asked}"):
        result = paginate(select(User).order_by(User.id), per_page=2)
    assert (result.page, result.pages, result.total) == (shown, 2, 3)
    assert [u.id for u in result.items] == [users[i].id for i in names]


def test_paginate_an_empty_list(app, db):
    with app.test_request_context("/?page=3"):
        result = paginate(select(User))
    assert (result.page, result.pages, result.total, result.items) == (1, 0, 0, [])
