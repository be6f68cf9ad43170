"""Letters test helpers: immediate jobs, a district with citizens in three languages, PDF text."""

import re

import pytest
from pypdf import PdfReader

from portal.jobs import huey
from tests.factories import make_district, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def immediate_jobs():
    """Run huey tasks at once in the caller (restored afterwards)."""
    before = huey.immediate
    huey.immediate = True
    yield huey
    huey.immediate = before


@pytest.fixture
def letters_config(app):
    """Batch knobs for tests: render in-process unless a test asks for workers (in-process
    rendering can enforce no time limit, so there is none)."""
    keys = ("LETTER_INLINE_BELOW", "LETTER_RENDER_PROCESSES", "PDF_RENDER_TIMEOUT")
    saved = {k: app.config.get(k) for k in keys}
    app.config["LETTER_INLINE_BELOW"] = 1000
    app.config["PDF_RENDER_TIMEOUT"] = None
    yield app.config
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


@pytest.fixture
def district(db):
    """A district called Nordby."""
    return make_district(db, name="Nordby")


def pdf_text(data_or_path) -> str:
    """All text of a PDF with runs of whitespace made single spaces."""
    reader = PdfReader(data_or_path if not isinstance(data_or_path, bytes) else _io(data_or_path))
    return squash(" ".join(page.extract_text() for page in reader.pages))


def squash(text: str) -> str:
    """Collapse whitespace (line breaks in the PDF are layout, not content)."""
    return re.sub(r"\s+", " ", text).strip()


def _io(data: bytes):
    import io

    return io.BytesIO(data)


@pytest.fixture
def coordinator_client(client, db):
    """A test client signed in as a coordinator who reads English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client
