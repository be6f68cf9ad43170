"""Extension points so features add to shared pages without editing each other's templates."""

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from flask import current_app
from markupsafe import Markup


@dataclass(order=True)
class NavItem:
    """A link in the header navigation for one role."""

    order: int
    role: str
    endpoint: str
    label: object
    # Other endpoints (or patterns such as "booking.*") whose pages belong to this item.
    also: tuple[str, ...] = field(default=(), compare=False)

    def claims(self, endpoint: str) -> bool:
        """True for the item's own endpoint and the endpoints named in `also`."""
        return endpoint == self.endpoint or any(fnmatchcase(endpoint, p) for p in self.also)

    def is_current(self, endpoint: str | None) -> bool:
        """Whether the page of `endpoint` belongs to this item, so the item shows as active.

        An item owns its own endpoint, those in `also`, and every page whose URL lies below
        its own (booking.start at /citizen/booking/ owns /citizen/booking/day); of several
        such items of one role, the one with the longest URL wins ("My page" at /citizen/
        does not light up on /citizen/booking/day).
        """
        return bool(endpoint) and current_item(self.role, endpoint) is self


NAV: list[NavItem] = []
_NAV_REVISION = [0]  # counts changes to NAV, so an answer worked out before one is not reused
_PANELS: dict[str, list[tuple[int, Callable]]] = {}


def nav_item(role: str, endpoint: str, label, order: int = 50, also: tuple[str, ...] = ()) -> None:
    """Register a navigation link shown to signed-in principals of that role.

    also: further endpoints (fnmatch patterns allowed) that highlight this link, for pages
    that do not live below the link's URL.
    """
    for item in NAV:
        if item.role == role and item.endpoint == endpoint:
            item.also = tuple(dict.fromkeys((*item.also, *also)))
            _NAV_REVISION[0] += 1
            return
    NAV.append(NavItem(order, role, endpoint, label, tuple(also)))
    NAV.sort()
    _NAV_REVISION[0] += 1


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


def _rule(endpoint: str) -> str | None:
    try:
        rules = list(current_app.url_map.iter_rules(endpoint))
    except KeyError:  # not a registered endpoint
        return None
    return rules[0].rule if rules else None


def _below(rule: str, base: str) -> bool:
    stem = base.rstrip("/")
    if not stem:  # the front page owns only itself, not the whole site
        return rule == base
    return rule in (base, stem) or rule.startswith(stem + "/")


def current_item(role: str, endpoint: str) -> NavItem | None:
    """The navigation item of a role that the page of `endpoint` belongs to, if any.

    Worked out once per role, page and app (every page's menu asks for each of its items),
    and again after NAV changed: an item registered, or the list replaced (as tests do)."""
    known = current_app.extensions.setdefault("portal.current_nav_item", {})
    key = (role, endpoint, _NAV_REVISION[0])
    entry = known.get(key)
    if entry is None or entry[0] is not NAV:  # the list is kept, so its id is never reused
        entry = known[key] = (NAV, _find_current_item(role, endpoint))
    return entry[1]


def _find_current_item(role: str, endpoint: str) -> NavItem | None:
    items = nav_for(role)
    exact = [item for item in items if item.endpoint == endpoint]
    claimed = exact or [item for item in items if item.claims(endpoint)]
    if claimed:
        return claimed[0]
    rule = _rule(endpoint)
    if rule is None:
        return None
    best, best_length = None, -1
    for item in items:
        base = _rule(item.endpoint)
        if base is not None and _below(rule, base) and len(base) > best_length:
            best, best_length = item, len(base)
    return best
