"""The information letter as a PDF: content per language, code and QR, layout, PDF/UA basics.

One letter per language is rendered once for the whole module and read by every test.
"""

import io
from dataclasses import dataclass

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader

from portal.citizens.letter_codes import grouped
from portal.extensions import db as _db
from portal.i18n import tidy_hours
from portal.letters import content, services
from tests.factories import make_district
from tests.letters.conftest import squash

LANGS = ("da", "sv", "en")
LONG_NAME = "Anna-Margrethe Kristoffersen-Bøgh"
# One phrase per language typed out here, so a missing catalog cannot pass unnoticed.
NATIVE = {
    "da": "Hvem kan låse din dør op?",
    "sv": "Vem kan låsa upp din dörr?",
    "en": "Who can unlock your door?",
}
SECTION_MSGIDS = [
    "Your front door is getting an electronic lock",
    "What is an electronic lock?",
    "You and your relatives keep using your own keys, just as you do today.",
    "Why are we doing this?",
    "Who can unlock your door?",
    "Only home care staff from your provider and the night patrol.",
    "Only when they are standing at your door.",
    "If a staff member loses their phone, it is blocked within minutes.",
    "If something does not work",
    "You can see who has visited you",
    "Book a time for fitting the lock",
    "Your personal code:",
    "Keep this letter. Your code is personal: only give it to your relatives.",
    "It costs you nothing",
    "Questions?",
]


@dataclass
class Rendered:
    """One rendered letter and what went into it."""

    lang: str
    pdf: bytes
    html: str
    context: dict
    code: str

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))

    @property
    def text(self) -> str:
        return squash(" ".join(p.extract_text() for p in self.reader.pages))


@pytest.fixture(scope="module")
def letters(app):
    """da, sv and en letters for citizens with a long name and a real-looking address."""
    from tests.factories import make_citizen

    out = {}
    with app.app_context():
        district = make_district(_db.session, name="Letter district")
        for lang in LANGS:
            citizen = make_citizen(
                _db.session,
                district=district,
                language=lang,
                name=LONG_NAME,
                address="Lindealléen 117, 2. th.",
                postcode="4100",
                city="Ringsted",
            )
            _db.session.commit()
            keyring = app.extensions["keyring"]
            ctx = content.information_context(
                citizen, config=app.config, keyring=keyring, now=services.clock.now()
            )
            html = services.information_letter_html(_db.session, citizen.id)
            pdf = services.information_letter_pdf(_db.session, citizen.id)
            out[lang] = Rendered(lang, pdf, html, ctx, citizen.code)
    return out


def expected(lang: str, msgid: str, **kw) -> str:
    with force_locale(lang):
        return _(msgid, **kw)


@pytest.mark.parametrize("lang", LANGS)
def test_every_section_is_in_the_citizens_language(app, letters, lang):
    letter = letters[lang]
    text = letter.text
    with app.test_request_context():
        for msgid in SECTION_MSGIDS:
            assert squash(expected(lang, msgid)) in text, msgid
        assert expected(lang, "Dear %(name)s", name=LONG_NAME) in text
    assert NATIVE[lang] in text
    assert app.config["MUNICIPALITY_NAME"] in text
    assert app.config["MUNICIPALITY_PHONE"] in text

    # hours as shown: en dashes, a no-break space after "kl.", word joiners around 9–15
    def plain(value):
        return value.replace("\xa0", " ").replace("\u2060", "")

    assert plain(tidy_hours(app.config["MUNICIPALITY_HOURS"][lang])) in plain(text)
    assert letter.context["signature"]["name"] in text
    assert letter.context["signature"]["title"] in text
    assert content.portal_address(app.config) in text
    assert letter.context["reference"] in text
    assert letter.context["date_text"] in text


def test_personal_code_is_printed_grouped(letters):
    for letter in letters.values():
        assert grouped(letter.code) in letter.text
        assert len(grouped(letter.code)) == 14


def test_qr_payload_opens_sign_in_with_the_code(app, letters):
    letter = letters["da"]
    assert letter.context["qr_payload"] == (
        f"{app.config['PORTAL_URL'].rstrip('/')}/sign-in/citizen?code={letter.code}"
    )
    assert "<svg" in letter.html and "<path" in letter.html  # vector, inline
    reader = letter.reader
    for page in reader.pages:  # vector: no raster image in the letter at all
        assert not page.images


def test_qr_code_in_the_pdf_decodes_to_the_payload(letters):
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    letter = letters["sv"]
    document = pdfium.PdfDocument(letter.pdf)
    found = []
    for index in range(len(document)):
        image = document[index].render(scale=3).to_pil().convert("L")
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [letter.context["qr_payload"]]


@pytest.mark.parametrize("lang", LANGS)
def test_two_a4_pages(letters, lang):
    reader = letters[lang].reader
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842


def _runs(reader: PdfReader, page_index: int = 0):
    """(text, x_mm, baseline_mm_from_top, size_pt) of each text run on a page."""
    runs = []
    height = float(reader.pages[page_index].mediabox.height)

    def visit(text, cm, tm, _font, size):
        if not text.strip():
            return
        a, b, c, d, e, f = tm
        m = cm
        x = e * m[0] + f * m[2] + m[4]
        y = e * m[1] + f * m[3] + m[5]
        scale = (
            abs(
                (a * m[0] + b * m[2]) * (c * m[1] + d * m[3])
                - (a * m[1] + b * m[3]) * (c * m[0] + d * m[2])
            )
            ** 0.5
        )
        runs.append((text.strip(), x / 72 * 25.4, (height - y) / 72 * 25.4, size * scale))

    reader.pages[page_index].extract_text(visitor_text=visit)
    return runs


def test_all_text_is_at_least_12_pt(letters):
    reader = letters["da"].reader
    for index in range(len(reader.pages)):
        sizes = [size for _t, _x, _y, size in _runs(reader, index)]
        assert sizes and min(sizes) >= 11.99


def test_recipient_lines_sit_in_the_envelope_window(app, letters):
    window = content.window_of(app.config)
    lines = letters["da"].context["recipient"]["lines"]
    runs = {t: (x, y, s) for t, x, y, s in _runs(letters["da"].reader)}
    for line in lines:
        x, baseline, size = runs[line]
        cap = size / 72 * 25.4 * 0.75  # roughly the height above the baseline, in mm
        assert window.left <= x <= window.left + window.width - 20, line
        assert window.top <= baseline - cap and baseline <= window.top + window.height, line


def _box_mm(html: str, css: str, element_id: str):
    """Border box of an element after layout, in mm from the sheet's top-left corner."""
    from weasyprint import CSS, HTML

    from portal.documents.pdf import STATIC_URL, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_URL, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, base_url=STATIC_URL, url_fetcher=fetcher)]
    )
    todo = [document.pages[0]._page_box]
    while todo:
        box = todo.pop()
        if box.element is not None and box.element.get("id") == element_id and box.element_tag:
            px = 25.4 / 96
            return (
                box.border_box_x() * px,
                box.border_box_y() * px,
                box.border_width() * px,
                box.border_height() * px,
            )
        todo.extend(getattr(box, "children", []))
    raise AssertionError(f"#{element_id} not laid out")


@pytest.mark.parametrize("window", [(20, 45, 90, 45), (25, 50, 100, 40)])
def test_window_position_follows_configuration(app, letters, window):
    config = dict(app.config)
    config.update(zip(content.WINDOW_DEFAULTS, window))
    with app.app_context():
        css = content.letter_css(config)
    left, top, width, height = _box_mm(letters["en"].html, css, "recipient")
    assert (left, top, width, height) == pytest.approx(window, abs=0.3)


def test_tagged_pdf_ua_with_title_language_and_embedded_fonts(app, letters):
    for lang, letter in letters.items():
        reader = letter.reader
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"]
        assert "/StructTreeRoot" in root
        assert root["/Lang"] == lang
        with app.test_request_context():
            assert reader.metadata.title == expected(
                lang, "Your front door is getting an electronic lock"
            )
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert "pdfuaid" in xmp
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descendant["/FontDescriptor"] or (
                    "/FontFile3" in descendant["/FontDescriptor"]
                )


def test_text_comes_out_in_reading_order(letters):
    letter = letters["en"]
    text = letter.text
    order = [
        "Demo Kommune",
        LONG_NAME,
        letter.context["reference"],
        "Your front door is getting an electronic lock",
        "What is an electronic lock?",
        "Who can unlock your door?",
        "• Only when they are standing at your door.",
        "Book a time for fitting the lock",
        grouped(letter.code),
        "It costs you nothing",
        "Kind regards",
        letter.context["signature"]["name"],
    ]
    at = 0
    for piece in order:  # each piece found after the one before it
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} missing or out of order"
        at = found + len(piece)
