"""The bench scripts still fit the code they measure.

`make bench` is not part of the suite (it takes half an hour), so a function that moves can
break a bench silently: `keys_bench.py` once called `staff.block_device` months after it had
moved to `portal.access.blocking`. Every name a bench script imports from `portal` and every
attribute it reads off an imported portal module must exist.
"""

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _resolve(module: str, name: str):
    """`from module import name`: an attribute of the module, or a submodule of the package."""
    found = importlib.import_module(module)
    if hasattr(found, name):
        return getattr(found, name)
    return importlib.import_module(f"{module}.{name}")


def _missing_names(path: Path) -> list[str]:
    """Every portal name the script uses that is not there, as "line: what"."""
    tree = ast.parse(path.read_text(), filename=str(path))
    bound, missing = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "portal":
            for alias in node.names:
                try:
                    bound[alias.asname or alias.name] = _resolve(node.module, alias.name)
                except (ImportError, AttributeError):
                    missing.append(f"{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "portal" and alias.asname:
                    bound[alias.asname] = importlib.import_module(alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and type(bound.get(node.value.id)).__name__ == "module"
            and not hasattr(bound[node.value.id], node.attr)
        ):
            missing.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return missing


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
    )
    assert _missing_names(script) == [
        "3: from portal.access.blocking import no_such_name",
        "4: staff_service.block_device",
    ]
