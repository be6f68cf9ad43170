"""The coordinator's logo and texts in a browser, at 1280 and 390 px, axe on each page: a wrong
file is said where the coordinator looks (the summary at the logo form takes the focus, the
field is marked), a wide logo keeps its proportions in the header, and the checklist says why a
text the pages already show is not done yet."""

import re

import pytest

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, look, submit
from tests.directory.test_setup_logo_and_truth import png
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/coordinator/.*"))


def _header_logo(page) -> dict:
    return page.locator("header .portal-logo img").evaluate(
        "img => { const r = img.getBoundingClientRect(); return {w: r.width, h: r.height,"
        " fit: getComputedStyle(img).objectFit, nw: img.naturalWidth, nh: img.naturalHeight}; }"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_wrong_logo_is_said_at_the_field_and_a_wide_one_keeps_its_shape(
    browser_page, live_server, live_db, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in(page, live_server, coordinator)

    # The default logo is square and shown square.
    page.goto(f"{live_server}/coordinator/setup/texts")
    square = _header_logo(page)
    assert (square["w"], square["h"]) == (40, 40)
    assert "40 pixels" in page.locator("#logo-hint").inner_text()

    for name, data, message in [
        ("stor.png", png(1, 1) + b"\x00" * (1024 * 1024), "Logoet er større end 200 kB."),
        ("noter.txt", b"ikke et billede\n", "Logoet skal være et PNG- eller SVG-billede."),
    ]:
        page.set_input_files("#logo", {"name": name, "mimeType": "image/png", "buffer": data})
        submit(page, page.get_by_role("button", name="Upload logoet"))
        summary = page.locator("[data-module='error-summary']")
        assert summary.inner_text().count(message) == 1
        assert page.evaluate("() => document.activeElement.matches('.error-summary')")
        assert summary.evaluate(  # in view, not at the top of a long page out of sight
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight; }"
        )
        assert page.locator("#logo").get_attribute("aria-invalid") == "true"
        assert message in page.locator("#logo-error").inner_text()
        assert page.title().startswith("Fejl")
        assert_accessible(page, f"logo refused ({name}) at {width}")
        look(page, f"logo_refused_{name}_{width}")

    page.set_input_files(
        "#logo", {"name": "bred.png", "mimeType": "image/png", "buffer": png(300, 80)}
    )
    page.get_by_role("button", name="Upload logoet").click()
    page.wait_for_url(re.compile(r".*/coordinator/setup$"))
    page.wait_for_function("() => document.querySelector('header .portal-logo img').complete")
    wide = _header_logo(page)
    assert (wide["nw"], wide["nh"]) == (300, 80)
    assert wide["h"] == 40 and wide["fit"] == "contain"
    assert wide["w"] == (150 if width == 1280 else 120)  # a phone gives it less room
    assert_no_horizontal_scroll(page, f"checklist with a wide logo at {width}")
    assert page.locator("header .portal-logo span").is_visible()
    assert_accessible(page, f"checklist with a wide logo at {width}")
    look(page, f"logo_wide_header_{width}")


def test_the_checklist_and_the_form_tell_the_same_about_unsaved_texts(
    browser_page, live_server, live_db
):
    page = browser_page
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in(page, live_server, coordinator)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server}/coordinator/setup")
        hours = page.locator("li", has_text="Telefontid på alle sprog")
        assert "Ikke bekræftet endnu" in hours.inner_text()
        assert "mandag-fredag kl. 9-15" in hours.inner_text()
        assert "Demo Kommune" in page.locator("li", has_text="Kommunens navn").inner_text()
        assert_accessible(page, f"checklist at {width}")
        hours.get_by_role("link").click()
        page.wait_for_url(re.compile(r".*/coordinator/setup/texts#hours_da$"))
        assert page.locator("#hours_da").input_value() == "mandag-fredag kl. 9-15"
        assert "Ikke bekræftet endnu" in page.locator("#hours_da-hint").inner_text()
        assert page.locator("#name").input_value() == ""
        assert "demoværdien „Demo Kommune“" in page.locator("#name-hint").inner_text()
        assert_accessible(page, f"texts form at {width}")
        look(page, f"setup_texts_notes_{width}")
