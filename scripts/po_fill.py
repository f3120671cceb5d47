"""Fill or correct entries of a .po catalogue from a JSON object {msgid: msgstr}; drops their fuzzy
flag and previous-msgid comments. Used when a few source strings change:

    python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po translations.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines)


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(path: str, table_path: str) -> None:
    table = json.loads(Path(table_path).read_text(encoding="utf-8"))
    blocks = Path(path).read_text(encoding="utf-8").split("\n\n")
    done = set()
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        if not any(line.startswith("msgid ") for line in lines):
            continue
        msgid_start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        end = msgid_start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        msgid = unquote(lines[msgid_start:end])
        if msgid not in table:
            continue
        head = [
            re.sub(
                r"^#, (.*)$",
                lambda m: "#, " + ", ".join(f for f in m.group(1).split(", ") if f != "fuzzy"),
                line,
            )
            for line in lines[:msgid_start]
            if not line.startswith("#|")
        ]
        head = [line for line in head if line != "#, "]
        plural_at = next((i for i, line in enumerate(lines) if line.startswith("msgid_plural ")), None)
        body = lines[msgid_start:end]
        if plural_at is not None:
            plural_end = plural_at + 1
            while plural_end < len(lines) and lines[plural_end].startswith('"'):
                plural_end += 1
            body += lines[plural_at:plural_end]
            body += [f"msgstr[0] {quote(table[msgid])}"]
        else:
            body += [f"msgstr {quote(table[msgid])}"]
        blocks[index] = "\n".join(head + body)
        done.add(msgid)
    missing = set(table) - done
    if missing:
        raise SystemExit(f"not in the catalogue: {sorted(missing)}")
    Path(path).write_text("\n\n".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
