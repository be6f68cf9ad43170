"""Fixtures for the register and import tests."""

import pytest

from tests.web.support import client, make_app  # noqa: F401 (fixtures)


@pytest.fixture
def sqlite_only(db):
    """Skip on PostgreSQL: the test is of SQLite's full-text index."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's full-text index")
