"""The bench scripts still fit the code they measure.

`make bench` is not part of the suite (it takes half an hour), so a function that moves can
break a bench silently: `keys_bench.py` once called `staff.block_device` months after it had
moved to `portal.access.blocking`. Every name a bench script imports from `portal` and every
attribute it reads off an imported portal module must exist.
"""

import ast
import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _attribute(found, name: str):
    """`found.name`, where a package's submodule counts even if nothing imported it yet."""
    if hasattr(found, name):
        return getattr(found, name)
    if isinstance(found, ModuleType) and hasattr(found, "__path__"):
        return importlib.import_module(f"{found.__name__}.{name}")
    raise AttributeError(name)


def _portal_module(node) -> ModuleType | None:
    """`import_module("portal....")` (or importlib.import_module): the module it names."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return None
    called = (
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    )
    name = node.args[0].value
    if called != "import_module" or not str(name).startswith("portal"):
        return None
    return importlib.import_module(name)


def _missing_names(path: Path) -> list[str]:
    """Every portal name the script uses that is not there, as "line: what"."""
    tree = ast.parse(path.read_text(), filename=str(path))
    bound, missing = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "portal":
            for alias in node.names:
                try:
                    found = _attribute(importlib.import_module(node.module), alias.name)
                    bound[alias.asname or alias.name] = found
                except (ImportError, AttributeError):
                    missing.append(f"{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "portal":
                    module = importlib.import_module(alias.name)
                    top = alias.name.split(".")[0]
                    bound[alias.asname or top] = module if alias.asname else sys.modules[top]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            module = _portal_module(node.value)
            if module is not None and isinstance(node.targets[0], ast.Name):
                bound[node.targets[0].id] = module

    def resolve(node):
        """The module an expression stands for (a bound name, a chain, import_module(...))."""
        if isinstance(node, ast.Name):
            found = bound.get(node.id)
            return found if isinstance(found, ModuleType) else None
        if isinstance(node, ast.Call):
            return _portal_module(node)
        if isinstance(node, ast.Attribute):
            base = resolve(node.value)
            if base is None:
                return None
            try:
                found = _attribute(base, node.attr)
            except (ImportError, AttributeError):
                missing.append(f"{node.lineno}: {ast.unparse(node)}")
                return None
            return found if isinstance(found, ModuleType) else None
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            resolve(node)  # an inner link of a chain is seen again: `missing` is a set below
    return sorted(set(missing), key=lambda line: (int(line.split(":")[0]), line))


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_every_portal_name_a_bench_script_uses_exists(script):
    assert _missing_names(script) == []


def test_the_check_finds_a_moved_function(tmp_path):
    script = tmp_path / "moved_bench.py"
    script.write_text(
        "def run():\n"
        "    from portal.access import staff as staff_service\n"
        "    from portal.access.blocking import block_device, no_such_name\n"
        "    staff_service.block_device()\n"
        "    block_device()\n"
        "    import portal.access\n"
        "    portal.access.blocking.block_device()\n"
        "    portal.access.staff.gone()\n"
        "    scale = import_module('portal.demo.scale')\n"
        "    scale.seed(), scale.unseeded(), import_module('portal.demo.scale').nothing\n"
    )
    assert _missing_names(script) == [
        "3: from portal.access.blocking import no_such_name",
        "4: staff_service.block_device",
        "8: portal.access.staff.gone",
        "10: import_module('portal.demo.scale').nothing",
        "10: scale.unseeded",
    ]
