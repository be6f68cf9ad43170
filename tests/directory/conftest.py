"""Fixtures for the directory tests: the English-speaking isolated client."""

from tests.web.support import client  # noqa: F401 (fixture)
