"""Playwright driving Debian's chromium against a live server, with axe on every page.

Skips with a clear message when no chromium is found, unless PORTAL_REQUIRE_BROWSER=1.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import clock as app_clock
from portal import create_app
from portal.extensions import db as _db
from tests.conftest import NOW, empty_tables, make_test_config

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _require_browser():
    if Path(CHROMIUM).exists():
        return
    message = f"no chromium at {CHROMIUM} (apt-get install chromium, or set PORTAL_CHROMIUM)"
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; PORTAL_REQUIRE_BROWSER=1 forbids skipping")
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_app(app, tmp_path_factory):
    """A second app on the same database, with CSRF on, as production runs it."""
    config = make_test_config(
        app.config["SQLALCHEMY_DATABASE_URI"],
        str(tmp_path_factory.mktemp("live-instance")),
        WTF_CSRF_ENABLED=True,
        TESTING=False,
    )
    return create_app(config)


@pytest.fixture(autouse=True)
def live_clock(request):
    """Every browser journey runs at the tests' NOW (a Monday morning in November), ticking.

    The live app, the test app and the data a test arranges (`portal.clock.now()` inside either
    app) read this one clock, so a journey passes on any real date: a campaign that would reach
    into Christmas, a weekend or a change of summer time on the day CI runs cannot move what the
    journey sees. A test may install its own clock over it."""
    if "live_app" not in request.fixturenames:
        yield None
        return
    apps = [request.getfixturevalue("live_app"), request.getfixturevalue("app")]
    ticking = app_clock.SetClock(NOW, tick=True)
    for each in apps:
        app_clock.install(each, ticking)
    yield ticking
    for each in apps:
        app_clock.install(each, None)


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve live_app on a free port in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def _browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_browser, live_app):
    """A fresh context (cookies, storage) per test; the database is emptied afterwards."""
    context = _browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    yield context
    context.close()
    empty_tables(live_app)


@pytest.fixture
def browser_page(browser_context):
    """A page that fails the test on any console error or failed same-site request."""
    page = browser_context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    assert not problems, f"browser console errors: {problems}"


def settled(page) -> None:
    """Wait until htmx has finished a swap. htmx pushes the new address before it swaps and
    wires up the swapped-in elements only when they settle (20 ms later), so a control used
    as soon as the address changed can be the old one, or a new one nothing listens to yet."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def look(page, name: str) -> None:
    """A full-page screenshot to look at, saved as <PORTAL_SCREENSHOTS>/<name>.png when that
    folder is set (no file otherwise). `caret="initial"`: Playwright's default hides the text
    caret with an injected inline style, which the portal's CSP refuses, and the refusal is a
    console error that fails `browser_page`."""
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True, caret="initial")


@pytest.fixture
def nojs_page(_browser, live_app):
    """A page with JavaScript switched off; axe runs on its HTML in a second page
    (axe is JavaScript, which this context forbids)."""
    size = {"width": 1100, "height": 900}
    context = _browser.new_context(locale="da-DK", java_script_enabled=False, viewport=size)
    context.set_default_timeout(15000)
    checker = _browser.new_context(locale="da-DK", viewport=size)
    page = context.new_page()
    page.axe_page = checker.new_page()
    yield page
    context.close()
    checker.close()
    empty_tables(live_app)


@pytest.fixture
def live_db(live_app):
    """A session on the live app's database, for arranging data."""
    with live_app.app_context():
        yield _db.session
        _db.session.remove()


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def assert_accessible(page, context: str = ""):
    """Run axe-core in the page; fail with the rule ids and targets of any violation.

    The page is first let finish loading: a click that submits a form returns once the new page
    has begun to arrive, and axe run on a half-parsed page sees, say, the header's logo link
    before its text (a "link-name" violation that is not in the page)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    checker = getattr(page, "axe_page", None)
    if checker is not None:
        # JavaScript is off in `page` (nojs_page) and axe is JavaScript: evaluating it there
        # never returns. Check a copy of its HTML, without its scripts (so the copy keeps the
        # page's no-JavaScript state), at the same width, on the same origin.
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        checker.set_viewport_size(page.viewport_size)
        checker.goto(origin + "/accessibility")
        checker.set_content(_SCRIPT.sub("", page.content()))
        checker.wait_for_load_state()
        context = f"{context or page.url} (JavaScript off)"
        page = checker
    results = Axe().run(page)
    violations = results.response.get("violations", [])
    details = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in violations
    ]
    assert not violations, f"axe violations on {context or page.url}: {details}"


def submit(page, target):
    """Click a button (a locator or a selector) that posts its form without htmx, and return once
    the answer page has loaded.

    Playwright's click returns as soon as the click is dispatched, not when the new page arrives,
    and a form sent back with its errors has the same address as before, so neither
    wait_for_url nor wait_for_load_state (which the old page already meets) can tell the answer
    has come; waiting for the navigation itself can."""
    button = page.locator(target).first if isinstance(target, str) else target  # as page.click
    with page.expect_navigation():
        button.click()


PHONE = {"width": 390, "height": 844}


DESKTOP = {"width": 1280, "height": 900}
_CARD_SHAPES = """(rows) => rows.map(r => {
    const b = r.getBoundingClientRect();
    const labelled = [...r.querySelectorAll(':scope > td[data-title]')].every(td =>
        getComputedStyle(td, '::before').content === JSON.stringify(td.dataset.title)
        && td.children.length === 1  // the value, in the column beside the label
        && td.firstElementChild.getBoundingClientRect().left > td.getBoundingClientRect().left);
    return {display: getComputedStyle(r).display, labelled,
            inside: b.left >= 0 && b.right <= document.documentElement.clientWidth};
})"""


def assert_rows_become_cards(page, at_least: int = 1) -> None:
    """At 390 px each row of the page's .table--cards tables is a card (the table restyled in
    CSS, so each row is in the page once): a grid inside the screen, each value beside its
    label, no column headings; at 1280 px a table row under its headings. Leaves 1280 px."""
    rows = page.locator("main table.table--cards [data-row]")
    heads = page.locator("main table.table--cards thead")
    page.set_viewport_size(PHONE)
    assert rows.count() >= at_least, f"{rows.count()} rows in a .table--cards"
    card = {"display": "grid", "labelled": True, "inside": True}
    shapes = rows.evaluate_all(_CARD_SHAPES)
    assert all(shape == card for shape in shapes), f"not cards at 390 px: {shapes}"
    assert not heads.first.is_visible()
    page.set_viewport_size(DESKTOP)
    displays = rows.evaluate_all("rows => rows.map(r => getComputedStyle(r).display)")
    assert set(displays) == {"table-row"}, displays
    assert heads.first.is_visible()


def assert_on_phone(page, context: str = "", *, width: int = PHONE["width"]):
    """At a phone-sized viewport (390 px by default): axe clean and no sideways scroll of the page
    (WCAG 1.4.10 reflow); the viewport is put back afterwards, so a test may go on at desktop."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": PHONE["height"]})
    try:
        assert_no_horizontal_scroll(page, f"{context or page.url} at {width} px")
        assert_accessible(page, f"{context or page.url} at {width} px")
    finally:
        if before:
            page.set_viewport_size(before)


def assert_no_horizontal_scroll(page, context: str = ""):
    """The document is no wider than the viewport: nothing needs a sideways scroll."""
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if wide > 0:
        culprits = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth"
            " && ![...e.children].some(c => c.getBoundingClientRect().right"
            " > document.documentElement.clientWidth))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"
        )
        raise AssertionError(
            f"page scrolls sideways by {wide} px on {context or page.url}: {culprits}"
        )


def assert_refused_and_kept(page, field_id: str, message: str, typed: str):
    """A field sent back with its message next to it and in the error summary, as typed."""
    assert message in page.locator(f"#{field_id}").locator("xpath=..").inner_text()
    assert page.locator(f"#{field_id}").input_value() == typed
    assert page.locator(f".alert-error a[href='#{field_id}']").count() == 1


def assert_accessible_everywhere(page, context: str = ""):
    """axe at desktop width, at 390 px (phone) and reflow at 320 px (WCAG 1.4.10)."""
    assert_accessible(page, context)
    assert_on_phone(page, context)
    assert_on_phone(page, context, width=320)


def assert_text_zoom(page, context: str = "", *, factor: int = 2):
    """Text at 200 % (the root font size doubled, as a browser's text-only zoom does) at a
    1280 px window still fits: no sideways scroll (WCAG 1.4.4)."""
    before = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 900})
    original = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    page.evaluate(
        "(f) => { const r = document.documentElement;"
        " r.style.fontSize = parseFloat(getComputedStyle(r).fontSize) * f + 'px'; }",
        factor,
    )
    try:
        assert_no_horizontal_scroll(page, f"{context or page.url} at {factor * 100} % text")
    finally:
        page.evaluate("(s) => { document.documentElement.style.fontSize = s; }", original)
        if before:
            page.set_viewport_size(before)
