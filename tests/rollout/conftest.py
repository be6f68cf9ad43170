"""Rollout test fixtures: cheap password hashes (argon2 verifies whatever cost a hash carries)."""

import pytest
from argon2 import PasswordHasher

_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_password_hashes(monkeypatch):
    monkeypatch.setattr("portal.accounts.services.hash_password", _FAST.hash)
