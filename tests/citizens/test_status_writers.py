"""Nothing under portal/ writes a citizen's status except portal/citizens/lifecycle.py.

Other models have their own `status` (Appointment, LetterBatch, OutboxMessage...), so the walk
looks for citizen writes only: an assignment to `<...citizen...>.status` (by name), `status=` in
`Citizen(...)`, `status` in the values of an `update(Citizen)`, and `setattr(<citizen>, "status")`.
"""

import ast
from pathlib import Path

import pytest

import portal

ROOT = Path(portal.__file__).parent
OWNER = ROOT / "citizens" / "lifecycle.py"


def _names_a_citizen(node) -> bool:
    while isinstance(node, ast.Subscript | ast.Call):
        node = node.value if isinstance(node, ast.Subscript) else node.func
    if isinstance(node, ast.Name):
        return "citizen" in node.id.lower()
    if isinstance(node, ast.Attribute):
        return "citizen" in node.attr.lower()
    return False


def _is_citizen_status(target) -> bool:
    if isinstance(target, ast.Tuple | ast.List):
        return any(_is_citizen_status(t) for t in target.elts)
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "status"
        and _names_a_citizen(target.value)
    )


def _updates_citizen(call: ast.Call) -> bool:
    """True if a `.values(...)` call hangs on a chain that starts with update(Citizen)."""
    node = call.func.value
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "update":
                return any(isinstance(a, ast.Name) and a.id == "Citizen" for a in node.args)
            node = func
        node = node.value if isinstance(node, ast.Attribute) else node
    return False


def _writes_status(call: ast.Call) -> bool:
    keys = {k.arg for k in call.keywords}
    for arg in call.args:
        if isinstance(arg, ast.Dict):
            keys |= {k.value for k in arg.keys if isinstance(k, ast.Constant)}
    return "status" in keys


def stray_writes(source: str, filename: str = "<test>") -> list[str]:
    """Every line of `source` that writes a citizen's status, as "file:line"."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        hit = False
        if isinstance(node, ast.Assign):
            hit = any(_is_citizen_status(t) for t in node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            hit = _is_citizen_status(node.target)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Citizen":
                hit = _writes_status(node)
            elif isinstance(func, ast.Attribute) and func.attr == "values":
                hit = _updates_citizen(node) and _writes_status(node)
            elif isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1:
                name = node.args[1]
                hit = _names_a_citizen(node.args[0]) and getattr(name, "value", None) == "status"
        if hit:
            found.append(f"{filename}:{node.lineno}")
    return found


def test_only_the_lifecycle_writes_a_citizens_status():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path != OWNER:
            found += stray_writes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "write the status through portal.citizens.lifecycle"


@pytest.mark.parametrize(
    "source",
    [
        'citizen.status = "fitted"',
        'appointment.citizen.status = "follow_up"',
        'world.citizens[0].status = "booked"',
        'citizen.status, citizen.updated_at = "letter_sent", now',
        'session.execute(update(Citizen).where(x).values(status="letter_sent"))',
        'update(Citizen).values({"status": "booked"})',
        'Citizen(name="A", status="booked")',
        'setattr(citizen, "status", "fitted")',
        'self.citizen.status: str = "x"',
    ],
)
def test_the_walk_finds_each_kind_of_citizen_status_write(source):
    assert stray_writes(source) == ["<test>:1"]


@pytest.mark.parametrize(
    "source",
    [
        'appointment.status = "cancelled"',
        'batch.status, batch.posted_at = "posted", now',
        'update(Letter).values(status="pending")',
        'Appointment(citizen_id=citizen.id, status="booked")',
        "update(Citizen).values(updated_at=now)",
        "x = citizen.status",
        'select(Citizen).where(Citizen.status == "fitted")',
    ],
)
def test_the_walk_leaves_other_models_and_reads_alone(source):
    assert stray_writes(source) == []
