"""JSON-lines log records for the operator's log collector (LOG_FORMAT=json).

One object per line: time (UTC, ISO 8601 with milliseconds), level, logger, message, the process
id (several daphne processes write to one journal), and the traceback as one string when there is
one. Anything passed in `extra=` that is JSON-serialisable is kept under its own key.
"""

from __future__ import annotations

import datetime
import json
import logging

# Attributes every LogRecord has: not repeated as "extra" fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    value = repr(value)
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False)
