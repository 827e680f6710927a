"""Photos attached to an irritant: checked, re-encoded without their metadata, kept in the file store.

Every photo is opened and saved again, whatever sent it (the tablet's script or a plain form): what is kept is a
JPEG drawn upright, at most 2000 px on its longest side, without EXIF, XMP or ICC data, so that the place where it
was taken (GPS in the EXIF) never reaches the storage, and a file that only claims to be a photo is refused.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from hub.core import file_store
from hub.core.refusals import Refused
from irritants.models import Irritant, IrritantPhoto

MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 12
LONGEST_SIDE = 2000
QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")
# 50 megapixels is more than any tablet or phone takes; more is a decompression bomb (a small file that would
# fill the memory once drawn), refused before its pixels are read.
MAX_PIXELS = 50_000_000
# A form's photos together: a request of a few photos (each at most MAX_BYTES) passes, a flood does not.
REQUEST_LIMIT = 64 * 1024 * 1024
KEY_PREFIX = "irritant-photos"
CONTENT_TYPE = "image/jpeg"

TOO_LARGE = _l("La photo dépasse 10 Mo : réduisez-la ou prenez-la en plus basse définition.")
NOT_A_PHOTO = _l("Ce fichier n'est pas une photo (JPEG, PNG ou WebP).")
TOO_MANY = _l("Douze photos au plus par irritant.")
NO_PHOTO = _l("Choisissez une photo.")
REQUEST_TOO_LARGE = _l("L'envoi dépasse 64 Mo : envoyez les photos en plusieurs fois.")


class PhotoRefused(Refused):
    """A photo the hub does not keep; the message says why, in French."""


def reencoded(data: bytes) -> tuple[bytes, int, int]:
    """The photo as the hub keeps it (JPEG, upright, ≤ 2000 px, no metadata), with its width and height."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused(TOO_LARGE, field="photo")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that: here any bomb is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoRefused(NOT_A_PHOTO, field="photo")
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                drawn = _flattened(upright)
    except PhotoRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed file raises many kinds of errors inside Pillow
        raise PhotoRefused(NOT_A_PHOTO, field="photo") from error
    drawn.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, xmp= nor icc_profile= given: Pillow writes none of them.
    drawn.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue(), drawn.width, drawn.height


def _flattened(image: Image.Image) -> Image.Image:
    """The pixels alone, on white where the image was transparent, in a new image that carries no metadata."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        drawn = Image.new("RGB", rgba.size, "white")
        drawn.paste(rgba, mask=rgba.getchannel("A"))
        return drawn
    drawn = Image.new("RGB", image.size)
    drawn.paste(image.convert("RGB"))
    return drawn


def photos_of(session: Session, irritant_id: int) -> list[IrritantPhoto]:
    """An irritant's photos, in the order they were added (one query)."""
    return list(session.exec(select(IrritantPhoto).where(IrritantPhoto.irritant_id == irritant_id)
                             .order_by(IrritantPhoto.created_at, IrritantPhoto.id)))


def _known(session: Session, irritant_id: int, client_key: str) -> IrritantPhoto | None:
    return session.exec(select(IrritantPhoto).where(IrritantPhoto.irritant_id == irritant_id,
                                                    IrritantPhoto.client_key == client_key)).first()


def add_photo(session: Session, *, irritant: Irritant, data: bytes, client_key: str | None,
              by_user_id: int | None) -> tuple[IrritantPhoto, bool]:
    """Keep a photo for the irritant; a resend with the same client key returns the first (created: False).

    The bytes are written to the store before the caller commits: if the commit fails they are left unused,
    never a row without its bytes.
    """
    if client_key:
        known = _known(session, irritant.id, client_key)
        if known is not None:
            return known, False
    count = session.exec(select(func.count()).select_from(IrritantPhoto)
                         .where(IrritantPhoto.irritant_id == irritant.id)).one()
    if count >= MAX_PHOTOS:
        raise PhotoRefused(TOO_MANY, field="photo")
    jpeg, width, height = reencoded(data)
    photo = IrritantPhoto(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id, storage_key="",
                          content_type=CONTENT_TYPE, width=width, height=height, size_bytes=len(jpeg),
                          client_key=client_key or None, created_by_id=by_user_id)
    try:
        with session.begin_nested():
            session.add(photo)
            session.flush()
    except IntegrityError:
        # The same photo arrived twice at once: the other request recorded it first.
        return _known(session, irritant.id, client_key), False
    # The key needs the row's id: made once the row has one, from the id and a random token only.
    photo.storage_key = file_store.new_key(KEY_PREFIX, photo.id)
    file_store.current().put(photo.storage_key, jpeg, CONTENT_TYPE)
    session.add(photo)
    session.flush()
    return photo, True


def remove_photo(session: Session, photo: IrritantPhoto) -> str:
    """Delete the photo's row; return its key, whose bytes the caller deletes once the deletion is committed."""
    key = photo.storage_key
    session.delete(photo)
    session.flush()
    return key


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, reading at most one byte past the limit (the rest is never needed)."""
    return upload.stream.read(MAX_BYTES + 1)
