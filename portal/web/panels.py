"""Extension points so features add to shared pages without editing each other's templates."""

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(order=True)
class NavItem:
    """A link in the header navigation for one role."""

    order: int
    role: str
    endpoint: str
    label: object


NAV: list[NavItem] = []
_PANELS: dict[str, list[tuple[int, Callable]]] = {}


def nav_item(role: str, endpoint: str, label, order: int = 50) -> None:
    """Register a navigation link shown to signed-in principals of that role."""
    if not any(i.role == role and i.endpoint == endpoint for i in NAV):
        NAV.append(NavItem(order, role, endpoint, label))
        NAV.sort()


def panel(slot: str, order: int = 50):
    """Decorator: func(**context) -> HTML (or None) rendered into the named slot of a page."""

    def decorator(func):
        entries = _PANELS.setdefault(slot, [])
        if func not in [f for _, f in entries]:
            entries.append((order, func))
            entries.sort(key=lambda e: e[0])
        return func

    return decorator


def render_panels(slot: str, **context) -> Markup:
    """All registered panels for a slot, in order."""
    parts = [func(**context) for _, func in _PANELS.get(slot, [])]
    return Markup("").join(p for p in parts if p)


def nav_for(role: str) -> list[NavItem]:
    """Navigation links for a role."""
    return [i for i in NAV if i.role == role]
