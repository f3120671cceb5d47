"""docs/challenges.md prints the transition table; it must say what lifecycle.TRANSITIONS does."""

from __future__ import annotations

from pathlib import Path

from challenges.lifecycle import TRANSITIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "challenges.md"


def test_the_documented_transition_table_is_the_code():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- transitions:start -->")[1].split("<!-- transitions:end -->")[0]
    documented = set()
    for line in table.strip().splitlines()[2:]:
        source, action, target, who = (cell.strip() for cell in line.strip("|").split("|"))
        documented.add((source, action, target, frozenset(part.strip() for part in who.split(","))))
    in_code = {
        (str(source), str(action), str(t.target), frozenset(str(role) for role in t.roles))
        for (source, action), t in TRANSITIONS.items()
    }
    assert documented == in_code
