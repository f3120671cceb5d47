"""The API's JSON parser: DRF's, minus what no service can take.

Refused with a 400 for every endpoint at once: nesting deeper than MAX_JSON_DEPTH (the standard
decoder recurses, so 100,000 nested brackets raise RecursionError, and a serializer that renders a
deep value recurses again), and strings holding a lone surrogate (`"\\ud800"` is valid JSON, but not
Unicode: no database, hash or encoder accepts it later).
"""

from __future__ import annotations

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest request body the API defines is three levels; leave room for clients that wrap.
MAX_JSON_DEPTH = 32

_SURROGATE = re.compile("[\ud800-\udfff]")


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from error
        check_json_value(data)
        return data


def check_json_value(data: object) -> None:
    """Walk a decoded JSON value without recursion: bounded depth, only valid Unicode strings."""
    pending: list[tuple[object, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ParseError("JSON parse error - a string holds an unpaired surrogate.")
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)
