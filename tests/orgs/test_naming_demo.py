"""The demo's naming rounds: one finished with a title, one open for nominations; seeding twice
adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from platform_core.orgs.models import NamingRound, Nomination, StudioTitle

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_round_with_a_title_and_an_open_round():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    finished = NamingRound.objects.get(status=NamingRound.Status.CONCLUDED)
    (title,) = StudioTitle.objects.filter(round=finished)
    assert (
        title.studio.name == "刘强智能制造工匠工作室" and title.studio.level == "group" and title.year == 2024
    )
    opened = NamingRound.objects.get(status=NamingRound.Status.NOMINATING)
    assert set(opened.nominations.values_list("status", flat=True)) == {
        Nomination.Status.SUBMITTED,
        Nomination.Status.NOMINATED,
    }
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    assert NamingRound.objects.count() == 2 and StudioTitle.objects.count() == 1
