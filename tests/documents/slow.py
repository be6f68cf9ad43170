"""A renderer that never finishes in time, for the time-limit tests: it runs in the PDF worker
process (pickled by name), so this module imports nothing of the portal."""

import time


def render_bytes(html, css="", *rest):
    """Stands in for a layout that never ends; bounded, so that code without a limit fails
    its test (the PDF gets made after a minute) instead of hanging the suite."""
    time.sleep(60)
    raise AssertionError("a PDF ran past its limit and was not stopped")


def note_then_hang(path, css="", *rest):
    """Stands in for a layout that never ends, noting first that a worker took it up: `path`
    (given where the HTML goes) gets one line per document started."""
    with open(path, "a") as fh:
        fh.write("started\n")
    time.sleep(60)
    raise AssertionError("a PDF ran past its limit and was not stopped")


def quick(html, css="", *rest):
    """A layout that is done at once."""
    return b"%PDF-" + html.encode()
