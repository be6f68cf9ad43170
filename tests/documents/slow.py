"""A renderer that never finishes in time, for the time-limit tests: it runs in the PDF worker
process (pickled by name), so this module imports nothing of the portal."""

import time


def render_bytes(html, css="", *rest):
    """Stands in for a layout that never ends; bounded, so that code without a limit fails
    its test (the PDF gets made after a minute) instead of hanging the suite."""
    time.sleep(60)
    raise AssertionError("a PDF ran past its limit and was not stopped")
