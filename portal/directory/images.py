"""What the portal needs to know about an uploaded logo: its kind and its proportions.

Only the first bytes are read (a PNG's IHDR, an SVG's root element), never decoded as a picture.
"""

import re

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEADER_HEIGHT = 40  # px: the logo's height in the header
HEADER_MAX_WIDTH = 160  # px: a wider logo is scaled down within this width, never stretched
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.I | re.S)
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
