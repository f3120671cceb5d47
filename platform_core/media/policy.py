"""What each kind of media file may be: its extensions, the type it is served with, the signature
its first bytes must carry, and its size limit (MEDIA_MAX_BYTES). The upload service, the API, the
form field and the upload widget all read it here."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext

from platform_core.uploads import size_label

from .models import MediaFile

# How much of a stored file is read to tell its format.
HEAD_BYTES = 4096
BLOCK_BYTES = 64 * 1024


def _iso_media(head: bytes) -> bool:
    # MP4 and M4A are ISO base media files: a box of type `ftyp` first.
    return head[4:8] == b"ftyp"


def _webm(head: bytes) -> bool:
    # An EBML header whose DocType is webm.
    return head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]


def _ogg(head: bytes) -> bool:
    return head.startswith(b"OggS")


def _mp3(head: bytes) -> bool:
    # An ID3 tag, or straight away an MPEG audio frame (11 bits of frame sync).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _wav(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WAVE"


def _webvtt(head: bytes) -> bool:
    # "WEBVTT", after an optional byte order mark, alone on its line or followed by a space or tab.
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    return body.startswith(b"WEBVTT") and (len(body) == 6 or body[6:7] in (b" ", b"\t", b"\r", b"\n"))


@dataclass(frozen=True)
class Format:
    content_type: str
    signature: Callable[[bytes], bool]

    def matches(self, head: bytes) -> bool:
        return self.signature(head)


MP4 = Format("video/mp4", _iso_media)
WEBM = Format("video/webm", _webm)
OGG_VIDEO = Format("video/ogg", _ogg)
MP3 = Format("audio/mpeg", _mp3)
M4A = Format("audio/mp4", _iso_media)
OGG_AUDIO = Format("audio/ogg", _ogg)
WAV = Format("audio/wav", _wav)
WEBVTT = Format("text/vtt", _webvtt)

FORMATS: dict[str, dict[str, Format]] = {
    MediaFile.Kind.VIDEO: {".mp4": MP4, ".m4v": MP4, ".webm": WEBM, ".ogv": OGG_VIDEO, ".ogg": OGG_VIDEO},
    MediaFile.Kind.AUDIO: {".mp3": MP3, ".m4a": M4A, ".ogg": OGG_AUDIO, ".oga": OGG_AUDIO, ".wav": WAV},
    MediaFile.Kind.CAPTIONS: {".vtt": WEBVTT},
}
# What the help text calls each kind's types.
TYPE_NAMES: dict[str, str] = {
    MediaFile.Kind.VIDEO: "MP4, WebM, Ogg",
    MediaFile.Kind.AUDIO: "MP3, M4A, Ogg, WAV",
    MediaFile.Kind.CAPTIONS: "WebVTT (.vtt)",
}
# Types a browser may declare for a file it does not know (the declared type is only checked for
# plain contradictions: the stored type always comes from the kind and the extension).
_UNKNOWN_TYPES = {"", "application/octet-stream"}


def max_bytes(kind: str) -> int:
    return int(settings.MEDIA_MAX_BYTES[kind])


def extensions(kind: str) -> tuple[str, ...]:
    return tuple(FORMATS[kind])


def format_for(kind: str, name: str) -> Format | None:
    return FORMATS.get(kind, {}).get(Path(name).suffix.lower())


def declared_type_fits(kind: str, declared: str) -> bool:
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type in _UNKNOWN_TYPES:
        return True
    if kind == MediaFile.Kind.CAPTIONS:
        return media_type in {"text/vtt", "text/plain"}
    return media_type.startswith(f"{kind}/")


def help_text(kind: str) -> str:
    return gettext("%(types)s, up to %(size)s.") % {
        "types": TYPE_NAMES[kind],
        "size": size_label(max_bytes(kind)),
    }


def too_large_message(kind: str) -> str:
    return gettext("Files up to %(size)s are accepted.") % {"size": size_label(max_bytes(kind))}


def content_matches(kind: str, name: str, stored: BinaryIO | File) -> bool:
    """Whether a stored file is what its kind and extension say: the format's signature in its first
    bytes (a renamed program, page or picture is refused), and for captions, UTF-8 text from end to
    end (read in blocks)."""
    media_format = format_for(kind, name)
    if media_format is None:
        return False
    stored.seek(0)
    head = stored.read(HEAD_BYTES)
    if not media_format.matches(head):
        return False
    if media_format is WEBVTT:
        decoder = codecs.getincrementaldecoder("utf-8")()
        stored.seek(0)
        try:
            while block := stored.read(BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True
