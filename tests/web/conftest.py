"""Fixtures for the web tests."""

from tests.web.support import client, make_app  # noqa: F401 (fixtures)
