"""Fixtures for the register and import tests."""

from tests.web.support import client, make_app  # noqa: F401 (fixtures)
