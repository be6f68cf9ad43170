"""Every action code the portal can write to the audit log, read from its source.

`portal.audit.services.record` writes a record; so does any function that passes one of its
own parameters on as `record`'s action (a wrapper such as `consent.history.audited`), found
here by following the calls until nothing new turns up. At each call the action must be a
string, a choice between strings (`"a" if x else "b"`), a name assigned such strings in the
same function or module, or a wrapper's parameter (its callers are read instead, and its
default counts). Anything else (an f-string, a computed value) is a *dynamic* site: the test
names each one with the codes it can make, so a new one cannot slip by unlabelled.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"
ACTION_INDEX = 2  # record(session, actor, action, ...)


@dataclass
class Found:
    """Codes by where they are recorded, and the dynamic sites by `path:function`."""

    codes: dict[str, set[str]] = field(default_factory=dict)
    dynamic: dict[str, str] = field(default_factory=dict)

    def add(self, code: str, where: str) -> None:
        self.codes.setdefault(code, set()).add(where)


def _parents(tree):
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node


def _function_of(node):
    while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        node = getattr(node, "parent", None)
    return node


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _action_arg(call: ast.Call, index: int, keyword: str):
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def _params(func) -> list[ast.arg]:
    return [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]


def _default_of(func, name: str):
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
        if arg.arg == name:
            return default
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        if arg.arg == name:
            return default
    return None


def _assigned(scope, name: str) -> list:
    """The values assigned to `name` directly in `scope` (a function or a module)."""
    values = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            values.append(node.value)
    return values


def _strings(expr) -> list[str] | None:
    """The strings an expression can be, or None when it is not made of literals."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        body, orelse = _strings(expr.body), _strings(expr.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _modules():
    for path in sorted(PORTAL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _parents(tree)
        yield path.relative_to(PORTAL.parent).as_posix(), tree


def collect() -> Found:
    """Every action code in portal/, and the dynamic sites found on the way."""
    modules = list(_modules())
    # name -> (position, parameter name) of the action among the recorder's arguments
    recorders: dict[str, tuple[int, str]] = {"record": (ACTION_INDEX, "action")}
    changed = True
    while changed:
        changed = False
        for _path, tree in modules:
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                name = _called_name(call)
                func = _function_of(call)
                if name not in recorders or func is None or func.name in recorders:
                    continue
                arg = _action_arg(call, *recorders[name])
                params = [p.arg for p in _params(func)]
                if isinstance(arg, ast.Name) and arg.id in params:
                    recorders[func.name] = (params.index(arg.id), arg.id)
                    changed = True
    found = Found()
    for path, tree in modules:
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _called_name(call)
            if name not in recorders:
                continue
            func = _function_of(call)
            if func is not None and func.name == name:
                continue  # recursion is not a recording
            arg = _action_arg(call, *recorders[name])
            where = f"{path}:{func.name if func else '<module>'}"
            if arg is None:
                continue  # a same-named helper that is not a recorder (e.g. another `_audit`)
            _resolve(found, arg, func, tree, recorders, where, modules)
    return found


def _resolve(found: Found, arg, func, tree, recorders, where: str, modules) -> None:
    strings = _strings(arg)
    if strings is None and isinstance(arg, ast.Name):
        if func is not None and func.name in recorders and recorders[func.name][1] == arg.id:
            default = _default_of(func, arg.id)
            strings = _strings(default) if default is not None else []
        else:
            # this function's, this module's, or else an imported module-level constant
            values = (
                (_assigned(func, arg.id) if func is not None else [])
                or _assigned(tree, arg.id)
                or [
                    node.value
                    for _path, other in modules
                    for node in other.body
                    if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets)
                ]
            )
            resolved = [_strings(v) for v in values]
            if values and all(r is not None for r in resolved):
                strings = [s for r in resolved for s in r]
    if strings is None:
        found.dynamic[where] = ast.unparse(arg)
        return
    for code in strings:
        found.add(code, where)
