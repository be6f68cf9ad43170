"""Fixtures for the sign-in view tests."""

from tests.web.support import cheap_argon2, client, make_app  # noqa: F401 (fixtures)
