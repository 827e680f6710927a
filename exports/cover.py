"""The report's cover: the agency's logo it prints (checked and re-encoded before it is kept), and its dates.

The image is checked by opening it, never by its name, and re-encoded as a small PNG: what is stored is a picture
we drew ourselves, without the uploaded file's metadata (a phone's GPS position, an author's name).
"""

from __future__ import annotations

import io
from datetime import date

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from exports.assembly import months_later
from hub.core.refusals import Refused

MAX_BYTES = 1024 * 1024
LONGEST_SIDE = 600
# A small file can declare a huge canvas (a "decompression bomb"): refused before its pixels are decoded.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("PNG", "JPEG")


class LogoRefused(Refused):
    """The uploaded file is not a logo the cover can print."""


def logo_png(raw: bytes) -> bytes:
    """The uploaded image as a PNG of at most LONGEST_SIDE pixels, or a LogoRefused that says why in French."""
    if len(raw) > MAX_BYTES:
        raise LogoRefused(_l("Le fichier dépasse 1 Mo : enregistrez le logo en plus petit, puis réessayez."),
                          field="logo")
    unreadable = LogoRefused(_l("Ce fichier n'est pas une image PNG ou JPEG lisible : choisissez un logo "
                                "enregistré en PNG ou en JPEG."), field="logo")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise unreadable
            if image.width * image.height > MAX_PIXELS:
                raise LogoRefused(_l("Cette image est trop grande (plus de 40 millions de pixels) : réduisez-la, "
                                     "puis réessayez."), field="logo")
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG is decoded straight at a smaller scale
            # A phone's photo says its orientation in its metadata, which the re-encoding drops: apply it first.
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            if picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                picture = picture.convert("RGBA")
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)  # no metadata is passed on: none is written
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error  # a truncated or forged file fails while its pixels are decoded
    return out.getvalue()


def months_later_iso(day: str, months: int) -> str:
    """An ISO date ``months`` later: the cover's planned end, computed when printed, never kept in a version's data."""
    return months_later(date.fromisoformat(day), months).isoformat()
