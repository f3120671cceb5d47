"""A small Markdown subset for chat messages, rendered on the server.

Supported: paragraphs and line breaks, **bold**, *italic*, `code`, fenced ``` blocks, > quotes,
"- " lists, [text](https://…) links and bare http(s) links. The text is HTML-escaped first, so
nothing a user types becomes a tag; the result still goes through the platform's one allowlist
(platform_core.text.sanitize_html), which drops any link whose scheme is not http, https or
mailto and gives every link rel="noopener nofollow".
"""

from __future__ import annotations

import html
import re

from platform_core.text import sanitize_html

_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:\n```|$)", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
# The URL is already escaped: &amp; may appear inside it, quotes and angle brackets cannot.
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^\s)]+)\)")
_BARE_URL = re.compile(r"(?<![\"=>/\w])(https?://[^\s<]+[^\s<.,;:!?)\]。，；：！？）])")
_PLACEHOLDER = "\x00{}\x00"


def _inline(text: str, stash: list[str]) -> str:
    def keep(fragment: str) -> str:
        stash.append(fragment)
        return _PLACEHOLDER.format(len(stash) - 1)

    # Code spans first: nothing inside them is formatted.
    text = _CODE.sub(lambda m: keep(f"<code>{m[1]}</code>"), text)
    text = _LINK.sub(lambda m: keep(f'<a href="{m[2]}">{m[1]}</a>'), text)
    text = _BARE_URL.sub(lambda m: keep(f'<a href="{m[1]}">{m[1]}</a>'), text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return text


def _line_kind(line: str) -> str:
    if line.startswith("&gt; ") or line == "&gt;":
        return "quote"
    if line.startswith(("- ", "* ")):
        return "list"
    return "text"


def _group(kind: str, lines: list[str], stash: list[str]) -> str:
    if kind == "quote":
        return "<blockquote>" + "<br>".join(_inline(line[5:], stash) for line in lines) + "</blockquote>"
    if kind == "list":
        return "<ul>" + "".join(f"<li>{_inline(line[2:], stash)}</li>" for line in lines) + "</ul>"
    return "<p>" + "<br>".join(_inline(line, stash) for line in lines) + "</p>"


def _blocks(text: str, stash: list[str]) -> list[str]:
    """Paragraphs split by blank lines; within one, runs of "> " lines and "- " lines become a
    quote and a list."""
    out: list[str] = []
    for chunk in re.split(r"\n{2,}", text.strip("\n")):
        if not chunk.strip():
            continue
        run: list[str] = []
        run_kind = ""
        for line in chunk.split("\n"):
            kind = _line_kind(line)
            if run and kind != run_kind:
                out.append(_group(run_kind, run, stash))
                run = []
            run_kind = kind
            run.append(line)
        out.append(_group(run_kind, run, stash))
    return out


def render_markdown(text: str) -> str:
    """Safe HTML for a message body (already cleaned by platform_core.text)."""
    stash: list[str] = []
    # NUL marks the stashed fragments below; cleaned bodies never hold one, but be sure.
    escaped = html.escape(text.replace("\x00", ""), quote=True)
    parts: list[str] = []
    position = 0
    for fence in _FENCE.finditer(escaped):
        parts.extend(_blocks(escaped[position : fence.start()], stash))
        parts.append(f"<pre><code>{fence[1]}</code></pre>")
        position = fence.end()
    parts.extend(_blocks(escaped[position:], stash))
    rendered = re.sub("\x00(\\d+)\x00", lambda m: stash[int(m[1])], "".join(parts))
    return sanitize_html(rendered)
