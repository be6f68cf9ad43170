"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint; resources come only from portal/static.

A `PdfRenderer` keeps one FontConfiguration, one parsed stylesheet and one image cache, and
reuses them for every document it renders: parsing the fonts and the CSS once is most of what
makes a batch faster than rendering each letter from scratch. Renderers are not shared between
threads (`renderer_for` keeps one per thread and stylesheet).
"""

import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
STATIC_URL = STATIC_DIR.as_uri() + "/"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class StaticOnlyFetcher(URLFetcher):
    """Fetch files under portal/static and data: URLs; refuse everything else (no network)."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

    def fetch(self, url, headers=None):
        """Fetch one resource, or raise ValueError when it is not ours to read."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not (path.is_file() and path.is_relative_to(STATIC_DIR)):
                raise ValueError(f"refused: not a file under portal/static: {url[:200]}")
            url = path.as_uri()
        elif scheme != "data":
            raise ValueError(f"refused: only portal/static and data: URLs: {url[:200]}")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and its page count."""

    pdf: bytes
    pages: int


class PdfRenderer:
    """Renders HTML to PDF, reusing one font configuration and one parsed stylesheet."""

    def __init__(self, css: str = "", base_url: str = STATIC_URL):
        self.fetcher = StaticOnlyFetcher()
        self.font_config = FontConfiguration()
        self.stylesheets = []
        if css:
            self.stylesheets.append(
                CSS(
                    string=css,
                    base_url=base_url,
                    url_fetcher=self.fetcher,
                    font_config=self.font_config,
                )
            )
        # Only our own static files (logo, fonts) end up here; per-letter content such as the
        # QR code is inline SVG, so the cache does not grow with the number of letters.
        self.cache: dict = {}

    def render(self, html: str, base_url: str = STATIC_URL) -> Rendered:
        """Lay out and write one document."""
        document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
            font_config=self.font_config,
            stylesheets=self.stylesheets,
            cache=self.cache,
            **PDF_OPTIONS,
        )
        pdf = document.write_pdf(**PDF_OPTIONS)
        return Rendered(pdf, len(document.pages))


_local = threading.local()
_MAX_RENDERERS = 4


def renderer_for(css: str = "") -> PdfRenderer:
    """This thread's renderer for a stylesheet (created on first use, then reused)."""
    renderers = getattr(_local, "renderers", None)
    if renderers is None:
        renderers = _local.renderers = {}
    renderer = renderers.get(css)
    if renderer is None:
        if len(renderers) >= _MAX_RENDERERS:
            renderers.clear()
        renderer = renderers[css] = PdfRenderer(css)
    return renderer


def render_pdf(html: str, base_url: str = STATIC_URL, *, css: str = "") -> bytes:
    """One HTML document as tagged PDF bytes (resources only from portal/static)."""
    return renderer_for(css).render(html, base_url).pdf
