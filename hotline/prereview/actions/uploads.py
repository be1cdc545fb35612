"""Checking a citizen's upload before it is stored: the orders' attachment rules (safe name,
the size limit ``MAX_ATTACHMENT_MB``), narrowed to what a material can be — a scan or a photo —
and checked by its first bytes, since an extension is only a name."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from hotline.orders.actions.intake import upload_name
from hotline.orders.rules import ActionError
from hotline.prereview.rules import InvalidInput

#: A material is a scan or a photo: a PDF or an image a phone takes.
EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".heic"})
_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _looks_right(upload: UploadedFile) -> bool:
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return head[4:8] == b"ftyp"  # HEIC/HEIF, as phones take them


def checked_name(upload: UploadedFile, field: str) -> str:
    """The safe name of an acceptable upload, or :class:`InvalidInput` naming the field."""
    try:
        name = upload_name(upload)
    except ActionError as exc:
        raise InvalidInput(exc.message, field=field) from None
    if Path(name).suffix.lower() not in EXTENSIONS or not _looks_right(upload):
        raise InvalidInput(_("Send a PDF or a photo (JPG, PNG, WebP or HEIC)."), field=field)
    return name
