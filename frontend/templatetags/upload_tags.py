"""File inputs written in templates carry the upload policy like form fields do
(platform_core/uploads.py): `<input type="file" {% upload_attrs "chat_attachment" %}>` and
`{% upload_help "chat_attachment" %}`. An input that takes several kinds (an achievement's image
or attachment) names them all: it accepts any of their types, up to the largest limit; the
service then checks the kind chosen."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from platform_core.uploads import KINDS

register = template.Library()


@register.simple_tag
def upload_attrs(*names: str):
    kinds = [KINDS[name] for name in names]
    largest = max(kinds, key=lambda kind: kind.max_bytes)
    attrs = largest.widget_attrs()
    attrs["accept"] = ",".join(dict.fromkeys(ext for kind in kinds for ext in kind.extensions))
    return format_html_join(" ", '{}="{}"', attrs.items())


@register.simple_tag
def upload_help(*names: str) -> str:
    return " ".join(KINDS[name].help_text() for name in names)
