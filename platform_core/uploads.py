"""The one upload policy: every kind of file users upload, its size limit and its allowed types.

Everything that states or enforces a limit reads it here: the services (the rule, whoever calls),
the forms and API serializers (an early, field-level answer), the pages (each file input carries
`data-max-bytes`, the message shown when a file is over it, and the help text; uploads.js checks
the size before anything is sent), and the request body limit (platform_core/body_limit.py),
which admits on the views listed in UPLOAD_VIEWS a body as large as their largest upload plus the
form's other fields, and nothing beyond MAX_REQUEST_BODY_BYTES anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from platform_core.text import clean_line

MB = 1024 * 1024
# A stored file's name (what the download offers) is at most this long, its extension kept.
MAX_NAME_LENGTH = 200
# How much of a file is read to tell its type.
HEAD_BYTES = 2048


def size_label(size: int) -> str:
    """A limit as the pages state it: "20 MB", "2.1 MB", "512 KB", "900 B"."""
    if size >= MB:
        return f"{size // MB} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} B"


@dataclass(frozen=True)
class UploadKind:
    name: str
    max_bytes: int
    extensions: tuple[str, ...]
    # What the help text calls the allowed types, e.g. "PDF, Office, text, CSV, PNG, JPEG or ZIP files".
    types: str | Promise
    # Pictures are decoded and encoded afresh (platform_core/images.py): that, not the name's
    # extension, proves their type; `extensions` then only guides the browser's file picker.
    decoded_picture: bool = False

    @property
    def accept(self) -> str:
        return ",".join(self.extensions)

    def help_text(self) -> str:
        return gettext("%(types)s, up to %(size)s each.") % {
            "types": str(self.types),
            "size": size_label(self.max_bytes),
        }

    def too_large_message(self) -> str:
        return gettext("Files up to %(size)s are accepted.") % {"size": size_label(self.max_bytes)}

    def widget_attrs(self) -> dict[str, str]:
        """What a file input of this kind carries (uploads.js reads the data attributes)."""
        return {
            "accept": self.accept,
            "data-max-bytes": str(self.max_bytes),
            "data-too-large": self.too_large_message(),
        }

    def check(self, name: str, size: int) -> None:
        """Refuse a file of a type this kind does not take, or over its size, for the `file` field."""
        if not self.decoded_picture and Path(name).suffix.lower() not in self.extensions:
            raise ValidationError({"file": not_accepted_message()})
        if size > self.max_bytes:
            raise ValidationError({"file": self.too_large_message()})

    def admit(self, upload) -> str:
        """Check an uploaded file, whoever receives it (form, serializer, service), and return the
        name it is stored and offered for download under (`clean_file_name`). Refused, for the
        `file` field: a name with nothing left once cleaned, an empty file, a type this kind does
        not take, a file over its size, and one whose content is not what its extension says (HTML
        or SVG renamed .pdf or .png: `content_matches`). Pictures are proved by decoding instead
        (platform_core/images.py), whatever their name."""
        name = clean_file_name(upload.name or "")
        if not name:
            if not self.decoded_picture:
                raise ValidationError({"file": not_accepted_message()})
            name = "picture"
        if not upload.size:
            raise ValidationError({"file": empty_message()})
        self.check(name, upload.size)
        if not self.decoded_picture and not content_matches(name, read_head(upload)):
            raise ValidationError({"file": not_accepted_message()})
        return name


def not_accepted_message() -> str:
    return gettext("This kind of file is not accepted.")


def empty_message() -> str:
    # Django's own message for an empty upload (its catalogue translates it).
    return gettext("The submitted file is empty.")


def clean_file_name(name: str) -> str:
    """The name an uploaded file is stored and downloaded under: the last part of the path the
    browser sent (either slash: no `../`), through the platform's text rule (no control, bidi or
    zero-width characters, one line: platform_core/text.py), without leading dots or spaces (no
    hidden or dot-only names), at most MAX_NAME_LENGTH characters with the extension kept. ''
    when nothing is left."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = clean_line(base[: MAX_NAME_LENGTH * 4]).lstrip(". ")
    if len(cleaned) > MAX_NAME_LENGTH:
        suffix = Path(cleaned).suffix[:10]
        cleaned = cleaned[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return cleaned


def read_head(upload) -> bytes:
    """The first bytes of an uploaded file, leaving it at its start for whoever reads it next."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


# What a file of each extension starts with. Office files are ZIP (.docx, .xlsx, .pptx) or OLE
# compound documents (.doc, .xls, .ppt). Extensions not listed (.txt, .csv) may hold any text.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".zip": _ZIP,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
}
# A document a browser would take for HTML, SVG or XML (and run its scripts) if it ever sniffed:
# after optional whitespace, a tag, a comment, a doctype or an XML declaration.
_MARKUP = re.compile(rb"[\t\n\x0c\r ]*<[!?/a-zA-Z]")


def looks_like_markup(head: bytes) -> bool:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
            break
    return _MARKUP.match(head) is not None


def content_matches(name: str, head: bytes) -> bool:
    """Whether a file's first bytes are what its extension says: the format's signature where it
    has one, and never markup (so that even a client that ignores the type and the disposition the
    download is served with would not run it)."""
    if looks_like_markup(head):
        return False
    extension = Path(name).suffix.lower()
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        return True
    if extension == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(signatures)


_OFFICE_FILES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt")
_PICTURES = (".png", ".jpg", ".jpeg", ".webp")

AVATAR = UploadKind("avatar", 1 * MB, _PICTURES, types=_("PNG, JPEG or WebP pictures"), decoded_picture=True)
# Problems, challenges, bids and milestone evidence.
CHALLENGE_FILE = UploadKind(
    "challenge_file",
    20 * MB,
    (*_OFFICE_FILES, ".csv", ".png", ".jpg", ".jpeg", ".zip"),
    types=_("PDF, Office, text, CSV, PNG, JPEG or ZIP files"),
)
CHAT_ATTACHMENT = UploadKind(
    "chat_attachment",
    10 * MB,
    (*_OFFICE_FILES, ".csv", ".png", ".jpg", ".jpeg", ".gif", ".zip"),
    types=_("PDF, Office, text, CSV, PNG, JPEG, GIF or ZIP files"),
)
ACHIEVEMENT_IMAGE = UploadKind(
    "achievement_image", 20 * MB, _PICTURES, types=_("PNG, JPEG or WebP pictures"), decoded_picture=True
)
ACHIEVEMENT_FILE = UploadKind(
    "achievement_file", 20 * MB, (*_OFFICE_FILES, ".zip"), types=_("PDF, Office, text or ZIP files")
)
# A naming round's self-assessment evidence (certificates, reports, photographs of the site).
NAMING_EVIDENCE = UploadKind(
    "naming_evidence",
    20 * MB,
    (*_OFFICE_FILES, ".png", ".jpg", ".jpeg", ".zip"),
    types=_("PDF, Office, text, PNG, JPEG or ZIP files"),
)
# A question to an expert committee (alliances.consulting): drawings, reports, photographs.
CONSULTATION_FILE = UploadKind(
    "consultation_file",
    20 * MB,
    (*_OFFICE_FILES, ".csv", ".png", ".jpg", ".jpeg", ".zip"),
    types=_("PDF, Office, text, CSV, PNG, JPEG or ZIP files"),
)
# Units, studios and people imported by the union admins (platform_core/orgs/imports.py): a
# 20,000-row sheet is well under 5 MB; the workbook is also bounded when unpacked (spreadsheets.py).
IMPORT = UploadKind("import", 5 * MB, (".xlsx", ".csv"), types=_("Excel workbooks (.xlsx) or CSV files"))
# Pictures in experience posts (alliances.exchange), placed in the text with ![说明](image:<id>).
POST_IMAGE = UploadKind(
    "post_image", 10 * MB, _PICTURES, types=_("PNG, JPEG or WebP pictures"), decoded_picture=True
)
# A course lesson's pictures and attachments, and a live session's slides (alliances.learning).
LESSON_IMAGE = UploadKind(
    "lesson_image", 10 * MB, _PICTURES, types=_("PNG, JPEG or WebP pictures"), decoded_picture=True
)
LESSON_FILE = UploadKind(
    "lesson_file", 20 * MB, (*_OFFICE_FILES, ".zip"), types=_("PDF, Office, text or ZIP files")
)
SESSION_SLIDES = UploadKind(
    "session_slides", 30 * MB, (".pdf", ".ppt", ".pptx"), types=_("PDF or PowerPoint files")
)
KINDS = {
    kind.name: kind
    for kind in (
        AVATAR,
        CHALLENGE_FILE,
        CHAT_ATTACHMENT,
        ACHIEVEMENT_IMAGE,
        ACHIEVEMENT_FILE,
        NAMING_EVIDENCE,
        CONSULTATION_FILE,
        IMPORT,
        POST_IMAGE,
        LESSON_IMAGE,
        LESSON_FILE,
        SESSION_SLIDES,
    )
}

# The views (by URL name) that take an upload, with the kinds one request may carry (one file
# each). The body limit admits on them a body as large as their largest upload plus the form's
# other fields; tests/platform/test_uploads.py checks that every view reading files is here.
UPLOAD_VIEWS: dict[str, tuple[UploadKind, ...]] = {
    "accounts:profile_edit": (AVATAR,),
    "challenges:problems": (CHALLENGE_FILE,),
    "challenges:bid_new": (CHALLENGE_FILE,),
    "challenges:bid_edit": (CHALLENGE_FILE,),
    "challenges:challenge_attachment": (CHALLENGE_FILE,),
    "challenges:milestone_submit": (CHALLENGE_FILE,),
    "showcase:file_add": (ACHIEVEMENT_IMAGE, ACHIEVEMENT_FILE),
    "api-attachment-upload": (CHALLENGE_FILE,),
    "api-room-attachments": (CHAT_ATTACHMENT,),
    "api-achievement-files": (ACHIEVEMENT_IMAGE, ACHIEVEMENT_FILE),
    "naming:evidence_add": (NAMING_EVIDENCE,),
    "imports:upload": (IMPORT,),
    "api-import": (IMPORT,),
    "consulting:ask": (CONSULTATION_FILE,),
    "api-consultations": (CONSULTATION_FILE,),
    "exchange:image_add": (POST_IMAGE,),
    "api-exchange-images": (POST_IMAGE,),
    "learning:lesson_file_add": (LESSON_IMAGE, LESSON_FILE),
    "learning:session_slides_add": (SESSION_SLIDES,),
}


def form_overhead_bytes() -> int:
    """Room for a form's other fields (Django bounds them by DATA_UPLOAD_MAX_MEMORY_SIZE) and the
    multipart framing around them."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024


# The views (by URL name) that take a file's bytes as the raw request body, one chunk per request
# (platform_core/media: audio and video, resumable). Each request is bounded by MEDIA_CHUNK_BYTES,
# the whole file by its kind's limit, which the upload service checks chunk by chunk.
CHUNK_VIEWS = frozenset({"api-media-upload-chunks"})


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except (Resolver404, ValueError, UnicodeError):
        return ""


def upload_kinds_for(path: str) -> tuple[UploadKind, ...]:
    return UPLOAD_VIEWS.get(_view_name(path), ())


def body_limit_for(path: str, size: int | None = None) -> int:
    """The largest request body admitted on this path. Given the body's size (declared, or read so
    far), the path is resolved only when the size is over the default limit: most requests carry
    no body worth resolving for."""
    if size is not None and size <= settings.MAX_REQUEST_BODY_BYTES:
        return settings.MAX_REQUEST_BODY_BYTES
    name = _view_name(path)
    if name in CHUNK_VIEWS:
        return max(settings.MAX_REQUEST_BODY_BYTES, settings.MEDIA_CHUNK_BYTES)
    kinds = UPLOAD_VIEWS.get(name, ())
    if not kinds:
        return settings.MAX_REQUEST_BODY_BYTES
    return max(settings.MAX_REQUEST_BODY_BYTES, max(kind.max_bytes for kind in kinds) + form_overhead_bytes())


# Form fields are built when their module is imported; their texts are translated when rendered.
help_text_lazy = lazy(UploadKind.help_text, str)
_too_large_lazy = lazy(UploadKind.too_large_message, str)


class PolicyFileField(forms.FileField):
    """A form's file field of one upload kind: the input carries the limit and its message, the
    help text states them, and a file over the limit or of another type is the field's error."""

    def __init__(self, *, kind: UploadKind, **kwargs) -> None:
        self.kind = kind
        kwargs.setdefault("help_text", help_text_lazy(kind))
        kwargs.setdefault("widget", forms.FileInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            **self.kind.widget_attrs(),
            "data-too-large": _too_large_lazy(self.kind),
        }

    def validate(self, value) -> None:
        super().validate(value)
        if value and hasattr(value, "size") and hasattr(value, "content_type"):  # a new upload
            try:
                self.kind.admit(value)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from error
