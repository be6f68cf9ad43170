"""Fixtures for the partner tests."""

from tests.web.support import make_app  # noqa: F401 (fixture)
