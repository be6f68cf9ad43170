"""The floors of DESIGN.md, checked on every import under portal/ (imports inside functions too).

A package imports only from its own floor or below, no two packages import each other, no two
modules import each other, and the key module and the PDF module import nothing else of the
portal. Each failure prints the offending edges as `file:line importer -> imported`.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"

# DESIGN.md's floors, bottom to top. Root modules (portal/clock.py ...) are nodes of their own.
FLOORS = {
    1: {"keys", "documents", "clock", "extensions", "config"}
    | {"connections", "db_types", "fieldcrypto", "i18n", "id_lists", "phones", "unit_of_work"},
    2: {"web", "audit", "jobs", "notify", "backup"},
    3: {"directory", "accounts", "citizens"},
    4: {"consent", "rollout", "access"},
    5: {"booking", "locksmith", "letters"},
    6: {"changes", "reports", "insights", "demo", "pages", "privacy", "careapi"},
    # The top assembles everything; nothing imports it except through create_app.
    7: {"portal"},  # portal/__init__.py with factory.py
}
FLOOR_OF = {node: floor for floor, nodes in FLOORS.items() for node in nodes}
SEALED = {"keys", "documents"}  # import nothing else of the portal
# Edges another branch is about to remove, as {(importer, imported): branch}; empty now that
# the directory branch has landed. A test below fails once a listed edge is gone.
PENDING: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    """portal/access/staff.py -> portal.access.staff; portal/web/__init__.py -> portal.web."""
    parts = list(path.relative_to(PORTAL.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PORTAL.rglob("*.py"))}


def node_of(module: str) -> str:
    """The package (or root module) a module belongs to: portal.access.staff -> access."""
    parts = module.split(".")
    # portal/__init__.py and factory.py are together the top that assembles the app.
    return parts[1] if len(parts) > 1 and parts[1] != "factory" else "portal"


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = importer.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    targets = []
    for alias in node.names:
        # `from portal.x import y` names module portal.x.y when it exists, else a name in x.
        sub = f"{prefix}.{alias.name}"
        targets.append(sub if sub in MODULES else prefix)
    return targets


def imports() -> list[tuple[str, str, int]]:
    """Every (importer, imported module, line) with both inside portal/."""
    edges = []
    for importer, path in MODULES.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(importer, is_package, node)
            else:
                continue
            for target in dict.fromkeys(targets):
                while target and target not in MODULES and "." in target:
                    target = target.rsplit(".", 1)[0]  # import portal.a.b.name -> portal.a.b
                if target in MODULES and target != importer:
                    edges.append((importer, target, node.lineno))
    return edges


def checked_imports() -> list[tuple[str, str, int]]:
    """Every import but the PENDING ones."""
    return [(a, b, line) for a, b, line in imports() if (a, b) not in PENDING]


def _where(importer: str, line: int) -> str:
    return f"{MODULES[importer].relative_to(PORTAL.parent)}:{line}"


def _climbs(a: str, b: str) -> bool:
    return FLOOR_OF.get(node_of(b), 0) > FLOOR_OF.get(node_of(a), 0)


def _format(edges) -> str:
    return "\n".join(
        f"  {_where(a, line)}  {a} -> {b}{'  <- climbs a floor' if _climbs(a, b) else ''}"
        for a, b, line in sorted(edges)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _circle_report(edges, key) -> str:
    by_pair = defaultdict(list)
    for a, b, line in edges:
        if key(a) != key(b):
            by_pair[key(a), key(b)].append((a, b, line))
    graph = defaultdict(set)
    for a, b in by_pair:
        graph[a].add(b)
    lines = []
    for component in cycles(graph):
        lines.append(f"circle between {', '.join(component)}; its edges:")
        for a, b in sorted(by_pair):
            if a in component and b in component:
                lines.append(f" {a} -> {b}:\n{_format(by_pair[a, b])}")
    return "\n".join(lines)


def test_every_package_has_a_floor():
    unknown = {node_of(m) for m in MODULES} - set(FLOOR_OF)
    assert not unknown, f"give these a floor in DESIGN.md and here: {sorted(unknown)}"


def test_no_circle_between_packages():
    report = _circle_report(checked_imports(), node_of)
    assert not report, "packages import each other:\n" + report


def test_no_import_goes_up_a_floor():
    up = [(a, b, line) for a, b, line in checked_imports() if _climbs(a, b)]
    assert not up, "imports that climb the floors of DESIGN.md:\n" + _format(up)


def test_no_circle_between_modules():
    # A module's own package (portal.x.views -> portal.x, for the blueprint) is imported before
    # the module anyway, and that package imports its views inside init_app: not a circle.
    edges = [(a, b, line) for a, b, line in checked_imports() if not a.startswith(b + ".")]
    report = _circle_report(edges, lambda m: m)
    assert not report, "modules import each other:\n" + report


@pytest.mark.parametrize("sealed", sorted(SEALED))
def test_sealed_packages_import_nothing_else_of_the_portal(sealed):
    outside = [(a, b, line) for a, b, line in imports() if node_of(a) == sealed != node_of(b)]
    assert not outside, f"portal/{sealed} must stand alone:\n" + _format(outside)


def test_the_walker_sees_imports_inside_functions_and_relative_ones():
    edges = {(a, b) for a, b, _line in imports()}
    # factory.create_app imports portal.i18n inside the function.
    assert ("portal.factory", "portal.i18n") in edges
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_pending_edges_still_exist():
    edges = {(a, b) for a, b, _line in imports()}
    gone = sorted(edge for edge in PENDING if edge not in edges)
    assert not gone, f"these imports are gone; remove them from PENDING: {gone}"
