"""Fixtures for the directory tests."""

from tests.web.support import cheap_argon2, client  # noqa: F401 (fixtures)
