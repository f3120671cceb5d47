"""Pictures users upload are decoded and encoded afresh, never stored as sent.

Decoding proves the file is a picture of an allowed format (HTML or SVG renamed .png is refused);
encoding again drops everything but the pixels (EXIF with GPS position, comments, trailing data);
the pixel count is checked from the header before anything is decoded, so a small file that would
expand to gigabytes is refused cheaply.
"""

from __future__ import annotations

import io
import struct

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

AVATAR_FORMATS = ("PNG", "JPEG", "WEBP")
AVATAR_SIDE = 512
# A 4000 x 4000 picture decodes to 64 MB at most (RGBA); a larger one is no avatar.
AVATAR_MAX_SOURCE_PIXELS = 16_000_000


def reencode_avatar(upload, *, side: int = AVATAR_SIDE) -> ContentFile:
    """The uploaded picture as a new PNG (if it has transparency) or JPEG, at most `side` px a side
    (512 for an avatar; the showcase keeps its pictures larger)."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=AVATAR_FORMATS) as source:
            if source.width * source.height > AVATAR_MAX_SOURCE_PIXELS:
                raise ValidationError(_("The picture has too many pixels."), code="too_many_pixels")
            # JPEG only: decode at a reduced scale straight away (less memory for a large photo).
            source.draft("RGB", (side, side))
            picture = ImageOps.exif_transpose(source)
            picture.thumbnail((side, side))
            transparent = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
            output = io.BytesIO()
            if transparent:
                picture.convert("RGBA").save(output, "PNG", optimize=True)
                extension = "png"
            else:
                picture.convert("RGB").save(output, "JPEG", quality=85)
                extension = "jpg"
    # What Pillow raises on a file that is not a well-formed picture of an allowed format.
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, Image.DecompressionBombError) as error:
        raise ValidationError(_("Upload a PNG, JPEG or WebP picture."), code="invalid_image") from error
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue(), name=f"avatar.{extension}")
