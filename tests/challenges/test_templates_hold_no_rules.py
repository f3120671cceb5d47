"""The challenge templates decide nothing about who may do what: they read flags the views
computed with challenges.permissions (issue 12, "no access rule in a template")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates" / "frontend" / "challenges"
# Comparing people or reading roles in a template is an access rule written a second time.
RULES = re.compile(
    r"user\s*==|==\s*user|request\.user|user\.pk|user\.id|\.leader|\.lead_id|\.lead\b|is_superuser|"
    r"is_staff|poster_grants|admin_grants|expert_profile"
)


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda path: path.name)
def test_a_challenge_template_reads_flags_and_holds_no_access_rule(template):
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1)
        for tag in re.findall(r"{%.*?%}", line)
        if RULES.search(tag)
    ]
    assert not found, found


# Pages whose every decision is a flag the view passed: their tags compare nothing (a comparison
# of a status or an amount beside a role flag is an access rule written in the template).
FLAG_ONLY = ("milestones.html",)
COMPARISONS = re.compile(r"{%\s*(?:if|elif)\b[^%]*(?:==|!=|<|>|\bin\b|\bposter_side\b|\bmine\b)[^%]*%}")


@pytest.mark.parametrize("name", FLAG_ONLY)
def test_a_flag_only_template_compares_nothing(name):
    found = [
        f"{number}: {tag}"
        for number, line in enumerate((TEMPLATES / name).read_text(encoding="utf-8").splitlines(), start=1)
        for tag in COMPARISONS.findall(line)
    ]
    assert not found, found
