"""Pictures that people upload, decoded and written again so that nothing but the pixels is
kept: no EXIF (a phone photo's GPS position, the camera, the time), no text chunks, no script
or polyglot tail after the image data.

Plumbing for the features that take pictures (a restored door's photo, a document attached to
a change request); each decides which formats it takes, how large, and what it writes.
"""

import io

from PIL import Image, ImageOps, UnidentifiedImageError


class NotAPicture(ValueError):
    """The bytes are not a picture of a format the caller takes."""


class TooManyPixels(ValueError):
    """The picture is larger than the caller takes (or a decompression bomb)."""


def clean(
    raw: bytes,
    *,
    formats: set[str],
    max_pixels: int,
    max_side: int | None = None,
    keep_png: bool = True,
) -> tuple[bytes, str]:
    """(bytes, content type) of the picture written again: a PNG stays a PNG when `keep_png`
    (lossless, for scans), anything else becomes a JPEG; turned upright by its EXIF
    orientation first, and scaled down to `max_side` pixels when given."""
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format not in formats:
                raise NotAPicture(probe.format)
            if probe.width * probe.height > max_pixels:
                raise TooManyPixels(f"{probe.width}x{probe.height}")
            as_png = keep_png and probe.format == "PNG"
            picture = ImageOps.exif_transpose(probe)
            picture.load()
    except Image.DecompressionBombError:
        raise TooManyPixels("decompression bomb") from None
    except (NotAPicture, TooManyPixels):
        raise
    except (UnidentifiedImageError, OSError, ValueError):
        raise NotAPicture("undecodable") from None
    if max_side:
        picture.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if as_png:
        if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            picture = picture.convert("RGBA")
        picture.save(out, "PNG", optimize=False)
        return out.getvalue(), "image/png"
    picture.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), "image/jpeg"
