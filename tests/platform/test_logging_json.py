"""LOG_FORMAT=json writes one JSON object per line, tracebacks included."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from platform_core.logging_json import JsonLinesFormatter
from tests.platform.test_settings import ROOT


def test_a_record_is_one_json_line_with_its_traceback_and_extras():
    logger = logging.getLogger("jbgs.test")
    try:
        raise ValueError("bad 值")
    except ValueError:
        record = logger.makeRecord(
            "jbgs.test",
            logging.ERROR,
            __file__,
            1,
            "failed for %s",
            ("用户",),
            sys.exc_info(),
            extra={"topic": "room:7"},
        )
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed for 用户"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "jbgs.test"
    assert entry["topic"] == "room:7"
    assert "ValueError: bad 值" in entry["traceback"]
    assert entry["time"].endswith("+00:00")


def test_the_setting_switches_the_console_to_json():
    code = "import logging; logging.getLogger('jbgs.probe').warning('hello %s', 'world')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(line["message"] == "hello world" and line["logger"] == "jbgs.probe" for line in lines), (
        result.stderr
    )
