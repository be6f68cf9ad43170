"""Keyless Care Portal.

This module stays free of Flask and SQLAlchemy imports so that `portal.keys` (the offline key
protocol) can be imported on its own, e.g. by lock firmware tests; `create_app` builds the
web application from `portal.factory`.
"""

import importlib
import pkgutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
# Plumbing packages that are not features (no blueprint, no models, no demo data).
NOT_FEATURES = {"web", "keys", "documents", "translations", "templates", "static"}


def feature_names() -> list[str]:
    """Every portal sub-package that is a feature, in a stable order."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if m.ispkg and m.name not in NOT_FEATURES
    )


def import_feature_module(feature: str, module: str):
    """portal.<feature>.<module>, or None when that feature has no such module."""
    name = f"portal.{feature}.{module}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def create_app(test_config: dict | None = None):
    """Build the portal (see portal.factory.create_app)."""
    from portal.factory import create_app as build

    return build(test_config)
