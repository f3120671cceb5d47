"""A post's text as HTML: the chat's Markdown (alliances/markdown.py, which escapes everything and
ends in the platform's one allowlist), plus pictures.

A picture is written `![说明](image:12)`, 12 being one of the post's own pictures (PostImage).
The Markdown renderer leaves that text as it is (it is no link it knows); afterwards each such
reference to a picture of this post becomes an <img> whose address is built here from the id
and whose alt text is escaped again. Any other reference stays plain text. Nothing the user typed
becomes a tag or an attribute of its own.
"""

from __future__ import annotations

import html
import re

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from alliances.markdown import render_markdown

# After rendering, the caption is escaped text (no < > or quotes can be in it unescaped).
_IMAGE = re.compile(r"!\[([^\]\n]{0,200})\]\(image:(\d{1,12})\)")


def image_url(image_id: int) -> str:
    return reverse("exchange:image", args=[image_id])


def render_post_text(text: str, image_ids: set[int] | frozenset[int] = frozenset()) -> str:
    rendered = render_markdown(text)

    def picture(match: re.Match) -> str:
        image_id = int(match[2])
        if image_id not in image_ids:
            return match[0]
        alt = html.escape(html.unescape(match[1]), quote=True)
        return f'<img src="{image_url(image_id)}" alt="{alt}" loading="lazy">'

    return _IMAGE.sub(picture, rendered)


def plain_excerpt(text: str, length: int = 160) -> str:
    """A short plain-text opening of a Markdown body, for lists and search snippets."""
    plain = _IMAGE.sub("", text)
    plain = re.sub(r"[*`>#]|^- ", "", plain, flags=re.MULTILINE)
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= length else plain[:length].rstrip() + "…"


def stored_html(html_text: str) -> SafeString:
    """A post's or comment's stored rendering, for a template: made by `render_post_text` when the
    text was saved (escaped, allowlisted, pictures built here), so it is shown as markup."""
    return mark_safe(html_text)  # noqa: S308  rendered through the platform's allowlist when stored
