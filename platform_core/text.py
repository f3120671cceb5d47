"""Cleaning user text before it is stored: one rule for every free-text field a user writes.

Services apply it to each text they store (forms and serializers may clean too, but the service is
the guarantee), so text reaches member lists, notifications and live events already clean:

- normalised to NFC (one encoding for "é"; not NFKC, which would turn the full-width punctuation of
  Chinese prose into ASCII);
- without control characters (line breaks kept where the field has lines), format characters
  (bidi overrides and isolates such as U+202E, zero-width spaces and joiners, the BOM, soft hyphens,
  tag characters), unpaired surrogates, and the few letters that draw nothing (Hangul fillers,
  the blank Braille pattern), which would let a name hide or reverse the text around it;
- single-line fields with every run of whitespace made one space.

Plain-text fields are always HTML-escaped when rendered (Django's autoescape; never `|safe`).
Fields that accept markup go through `clean_html`, an allowlist sanitiser.
"""

from __future__ import annotations

import re
import unicodedata

import nh3

# Cc control, Cf format (bidi controls, zero-width characters, BOM, tags…), Cs surrogates.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs"}
# Characters of other categories that render as nothing.
_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
_LINE_BREAKS = re.compile("\r\n|[\r\u0085\u2028\u2029]")
_WHITESPACE_RUN = re.compile(r"\s+")

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def _visible(character: str) -> bool:
    if character in "\n\t":
        return True
    return unicodedata.category(character) not in _DROPPED_CATEGORIES and character not in _INVISIBLE


def clean_plain_text(value: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    if max_length:
        # Bound the work on oversize input, leaving room for characters about to be dropped.
        value = value[: max_length * 4]
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", value))
    text = "".join(character for character in text if _visible(character))
    if not multiline:
        text = _WHITESPACE_RUN.sub(" ", text)
    text = text.strip()
    return text[:max_length].rstrip() if max_length else text


def clean_line(value: str, *, max_length: int | None = None) -> str:
    """A single-line field: a name, a title, a label."""
    return clean_plain_text(value, max_length=max_length, multiline=False)


def sanitize_html(fragment: str) -> str:
    """The platform's one HTML allowlist: whatever renders user text as markup (the chat's
    Markdown, a field that accepts markup) ends here. Links keep only http, https and mailto and
    get rel="noopener nofollow" (user-written links earn no ranking and no window.opener)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


def clean_html(value: str) -> str:
    """A field that accepts markup: cleaned as text, then through the allowlist."""
    return sanitize_html(clean_plain_text(value))


def clean_tags(values: list[str] | str, *, max_items: int = 12, max_length: int = 30) -> list[str]:
    """A short list of labels (fields of work, expertise) from a list or a comma/、-separated string."""
    if isinstance(values, str):
        values = re.split(r"[,，、;；\n]", values)
    seen: list[str] = []
    for value in values:
        label = clean_line(str(value), max_length=max_length)
        if label and label not in seen:
            seen.append(label)
    return seen[:max_items]
