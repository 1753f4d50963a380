"""The Pemda's name and logo on survey pages and as the sender of survey mail.

HR sets them per instansi. A logo is accepted only as PNG or JPEG, recognised by its first
bytes (never by the name or the browser's type, so an SVG or HTML file is refused), at most
256 KB and 16–1024 pixels a side, and fully decoded once; the image is then re-encoded, so what
is stored and served is Pillow's own output without metadata (a file that is both an image and
something else does not survive).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Instansi
from app.surveys.models import Branding

MAX_LOGO_BYTES = 256 * 1024
MIN_LOGO_SIDE = 16
MAX_LOGO_SIDE = 1024
MAX_NAME = 200
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class Brand:
    """What respondents see: the name, and the logo's version and size when there is one."""

    instansi_id: int
    name: str
    logo_sha: str | None = None
    logo_width: int | None = None
    logo_height: int | None = None


@dataclass(frozen=True)
class Logo:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def brand_for(instansi_id: int | None) -> Brand | None:
    """The instansi's survey name (its own name unless HR set another) and logo; one query."""
    if instansi_id is None:
        return None
    row = db.session.execute(
        select(
            Instansi.name,
            Branding.display_name,
            Branding.logo_sha,
            Branding.logo_width,
            Branding.logo_height,
        )
        .outerjoin(Branding, Branding.instansi_id == Instansi.id)
        .where(Instansi.id == instansi_id)
    ).first()
    if row is None:
        return None
    name, display, sha, width, height = row
    return Brand(instansi_id, display or name, sha, width, height)


def branding_of(instansi_id: int) -> Branding | None:
    return db.session.get(Branding, instansi_id)


def logo_of(instansi_id: int) -> tuple[bytes, str, str] | None:
    """(bytes, content type, sha) of the instansi's logo, or None."""
    row = db.session.scalar(
        select(Branding).options(undefer(Branding.logo)).where(Branding.instansi_id == instansi_id)
    )
    if row is None or not row.logo or row.logo_type not in FORMATS.values():
        return None
    return row.logo, str(row.logo_type), row.logo_sha or ""


def check_logo(data: bytes) -> Logo:
    """A PNG or JPEG within the bounds, decoded and re-encoded; ServiceError("logo") if not."""
    if len(data) > MAX_LOGO_BYTES:
        raise ServiceError(_l("The logo may be at most 256 KB."), "logo")
    if data.startswith(PNG_MAGIC):
        expected = "PNG"
    elif data.startswith(JPEG_MAGIC):
        expected = "JPEG"
    else:
        raise ServiceError(_l("Upload the logo as a PNG or JPEG image."), "logo")
    unreadable = ServiceError(_l("The file is not a readable PNG or JPEG image."), "logo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            width, height = image.size  # from the header, before anything is decoded
            if not (MIN_LOGO_SIDE <= width <= MAX_LOGO_SIDE) or not (
                MIN_LOGO_SIDE <= height <= MAX_LOGO_SIDE
            ):
                raise ServiceError(
                    _l(
                        "The logo must be between %(min)d and %(max)d pixels wide and high.",
                        min=MIN_LOGO_SIDE,
                        max=MAX_LOGO_SIDE,
                    ),
                    "logo",
                )
            image.load()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as error:
        raise unreadable from error
    except Image.DecompressionBombError as error:
        raise unreadable from error
    return _reencode(image, expected)


def _reencode(image: Image.Image, kind: str) -> Logo:
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_LOGO_BYTES:
        raise ServiceError(_l("The logo may be at most 256 KB."), "logo")
    return Logo(data, FORMATS[kind], image.width, image.height)


def save_branding(
    instansi_id: int,
    display_name: str,
    logo: bytes | None,
    remove_logo: bool,
    user_id: int | None,
) -> Branding:
    """Store the name shown to respondents and, when given, a checked logo (or remove it)."""
    name = " ".join((display_name or "").split())
    if len(name) > MAX_NAME:
        raise ServiceError(_l("At most %(n)d characters.", n=MAX_NAME), "display_name")
    checked = check_logo(logo) if logo else None
    row = db.session.get(Branding, instansi_id)
    if row is None:
        row = Branding(instansi_id=instansi_id)
        db.session.add(row)
    row.display_name = name
    row.updated_by_id = user_id
    if checked is not None:
        row.logo, row.logo_type, row.logo_sha = checked.data, checked.content_type, checked.sha
        row.logo_width, row.logo_height = checked.width, checked.height
    elif remove_logo:
        row.logo = row.logo_type = row.logo_sha = None
        row.logo_width = row.logo_height = None
    db.session.commit()
    return row
