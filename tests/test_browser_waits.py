"""Browser tests wait for the page a form post brings, not for the page they are on.

Playwright's click returns once the click is dispatched. A `wait_for_load_state()` straight after
it is met by the page that is still showing, so what follows can read the old page: CI once
failed on the second-factor form because the error count was read before the answer arrived.
`tests.browser.conftest.submit` waits for the navigation itself; this check keeps the racy pair
from coming back.
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _called(statement: ast.stmt) -> str:
    """`x.y.click()` as a bare statement: "click"; anything else: ""."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        if isinstance(func, ast.Attribute):
            return func.attr
    return ""


def racy_waits(source: str) -> list[int]:
    """Line numbers of a click followed directly by `wait_for_load_state()`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for first, then in zip(body, body[1:], strict=False):
            if _called(first) == "click" and _called(then) == "wait_for_load_state":
                found.append(first.lineno)
    return found


def test_the_check_finds_the_racy_pair():
    racy = 'page.get_by_role("button").click()\npage.wait_for_load_state()\n'
    assert racy_waits(racy) == [1]
    assert racy_waits("with page.expect_navigation():\n    b.click()\npage.title()\n") == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in TESTS.rglob("*.py") if "wait_for_load_state" in p.read_text("utf-8")),
    ids=lambda p: str(p.relative_to(TESTS)),
)
def test_no_click_is_followed_by_a_wait_the_old_page_meets(path):
    lines = racy_waits(path.read_text("utf-8"))
    assert not lines, f"{path.name}: use submit(page, button) at lines {lines}"
