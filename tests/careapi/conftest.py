"""Fixtures for the care-system API tests: the English-speaking client for the token page."""

from tests.web.support import client  # noqa: F401 (fixture)
