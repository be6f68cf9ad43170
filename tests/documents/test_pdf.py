"""render_pdf: tagged PDF, resources only from portal/static."""

import io

import pytest
from pypdf import PdfReader

from portal.documents.pdf import STATIC_DIR, StaticOnlyFetcher, render_pdf

HTML = """<!DOCTYPE html><html lang="en"><head><title>Receipt</title></head>
<body><h1>Receipt</h1><p>Thank you.</p><img src="img/logo.svg" alt="Logo"></body></html>"""


def test_render_pdf_gives_a_tagged_pdf_with_title_and_language():
    reader = PdfReader(io.BytesIO(render_pdf(HTML)))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Receipt" and root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and "Thank you." in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "config.py").resolve().as_uri(),
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
    ],
)
def test_fetcher_refuses_anything_outside_static(url):
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_reads_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher()
    logo = fetcher.fetch((STATIC_DIR / "img" / "logo.svg").as_uri())
    assert b"<svg" in logo.read()
    logo.close()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_a_refused_resource_does_not_reach_the_pdf():
    html = HTML.replace("img/logo.svg", "file:///etc/hostname")
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert not reader.pages[0].images
