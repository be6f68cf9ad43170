"""What the portal needs to know about an uploaded logo: its kind, its proportions, and
whether it is small enough to draw.

Only the first bytes are read (a PNG's IHDR, an SVG's root element), never decoded as a picture.
Every page and every letter draws the logo (WeasyPrint renders letters in the web process too),
so a tiny file that unpacks into a huge picture would stall them all: a PNG of 13000 x 13000
one-bit pixels is 20 kB and took 11 s and 1.3 GB per letter; an SVG of 1.6 kB whose <use>
elements nest ten deep draws 10^8 shapes and never finished. `drawable` refuses both.
"""

import re
import xml.etree.ElementTree as ET

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEADER_HEIGHT = 40  # px: the logo's height in the header
HEADER_MAX_WIDTH = 160  # px: a wider logo is scaled down within this width, never stretched
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.I | re.S)
MAX_PNG_SIDE = 2000  # px: ample for a logo drawn 40 px high (and printed at 300 dpi)
MAX_SVG_ELEMENTS = 20_000  # elements once every <use> is counted as the tree it draws
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_NUMBER = r"\s*=\s*[\"']\s*([0-9]*\.?[0-9]+)\s*(?:px)?\s*[\"']"


def image_type(data: bytes) -> str | None:
    """ "image/png" or "image/svg+xml" by the file's content, else None."""
    if data.startswith(PNG_MAGIC):
        return "image/png"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


def image_size(data: bytes, media_type: str) -> tuple[float, float] | None:
    """The image's width and height (an SVG's viewBox, else its width and height), if known."""
    if media_type == "image/png":
        if len(data) >= 24 and data[12:16] == b"IHDR":
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            return (width, height) if width and height else None
        return None
    root = _SVG_ROOT.search(data[:4096])
    if root is None:
        return None
    tag = root.group().decode("utf-8", "replace")
    box = re.search(r"\bviewBox\s*=\s*[\"']([^\"']*)[\"']", tag)
    if box:
        parts = re.split(r"[\s,]+", box.group(1).strip())
        try:
            width, height = float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            width = height = 0
        if width > 0 and height > 0:
            return width, height
    width, height = re.search(r"\bwidth" + _NUMBER, tag), re.search(r"\bheight" + _NUMBER, tag)
    if width and height and float(width.group(1)) > 0 and float(height.group(1)) > 0:
        return float(width.group(1)), float(height.group(1))
    return None


def header_size(size: tuple[float, float] | None) -> tuple[int, int]:
    """The width and height the header reserves for a logo of `size`: 40 px high, as wide as
    its proportions need up to the maximum (then lower), square when the size is not known."""
    if not size:
        return HEADER_HEIGHT, HEADER_HEIGHT
    width, height = size
    shown_width = HEADER_HEIGHT * width / height
    if shown_width <= HEADER_MAX_WIDTH:
        return max(1, round(shown_width)), HEADER_HEIGHT
    return HEADER_MAX_WIDTH, max(1, round(HEADER_MAX_WIDTH * height / width))


def drawable(data: bytes, media_type: str) -> bool:
    """False for a logo that would take too long or too much memory to draw (see above): a PNG
    larger than MAX_PNG_SIDE either way or of unknown size; an SVG with entity declarations,
    embedded pictures, more than MAX_SVG_ELEMENTS elements counting what each <use> repeats,
    or that is not well-formed XML."""
    if media_type == "image/png":
        size = image_size(data, media_type)
        return size is not None and max(size) <= MAX_PNG_SIDE
    if b"<!entity" in data.lower():
        return False
    try:
        root = ET.fromstring(data)  # noqa: S314 (no entities: refused above)
        return _drawn_elements(root) <= MAX_SVG_ELEMENTS
    except (ET.ParseError, RecursionError, ValueError):
        return False


def _drawn_elements(root) -> int:
    """How many elements drawing `root` visits, each <use> counted as the tree it points to."""
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    counted: dict[int, int] = {}

    def count(el, path: frozenset) -> int:
        if id(el) in path:
            raise ValueError("a <use> that refers to itself")
        if id(el) in counted:
            return counted[id(el)]
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in ("image", "feImage"):
            raise ValueError("an embedded picture")
        path = path | {id(el)}
        total = 1 + sum(count(child, path) for child in el)
        if tag == "use":
            href = el.get("href") or el.get(_XLINK_HREF) or ""
            target = by_id.get(href[1:]) if href.startswith("#") else None
            total += count(target, path) if target is not None else 0
        counted[id(el)] = total = min(total, MAX_SVG_ELEMENTS + 1)
        return total

    return count(root, frozenset())
