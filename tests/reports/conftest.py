"""Reports test fixtures: the English-speaking client."""

from tests.web.support import client  # noqa: F401 (fixture)
