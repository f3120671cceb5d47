"""The studio page shows what the domains know of a studio through the core's registries (figures
and sections), each section deciding what its viewer may see; the core imports no domain app."""

from __future__ import annotations

import ast
import datetime
import pathlib

import pytest
from django.urls import reverse

from alliances.services import mentors
from challenges.models import Challenge
from platform_core.orgs import sections
from platform_core.orgs.figures import registered_studio_figures
from platform_core.orgs.standards import Standard

pytestmark = pytest.mark.django_db

CORE = pathlib.Path(__file__).resolve().parents[2] / "platform_core"
DOMAIN_APPS = {"challenges", "showcase", "alliances"}


def test_the_core_imports_no_domain_app():
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in DOMAIN_APPS, (path, node.module)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in DOMAIN_APPS, (path, alias.name)


def test_the_domains_register_figures_for_three_standards():
    standards = {figure.key: figure.standard for figure in registered_studio_figures()}
    assert standards["challenges_won"] == standards["milestones_accepted"] == Standard.BREAKTHROUGH
    assert standards["benefit"] == standards["patents"] == standards["transfers"] == Standard.ACHIEVEMENTS
    assert standards["mentor_pairs"] == standards["alliances"] == Standard.TALENT


@pytest.fixture
def test_section():
    def context(viewer, studio):
        return {"who": viewer.username} if studio.name == "一号工作室" else None

    sections.register_studio_section(
        sections.StudioSection(
            key="test_titles",
            title="称号与考核",
            template="frontend/studios/_test_section.html",
            context=context,
            order=10,
        )
    )
    yield
    sections.unregister_studio_section("test_titles")


def test_a_registered_section_is_shown_where_it_has_something(client, cast, test_section, tmp_path, settings):
    template_dir = tmp_path / "frontend" / "studios"
    template_dir.mkdir(parents=True)
    (template_dir / "_test_section.html").write_text("<p data-test-section>{{ who }} · {{ studio.name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    client.force_login(cast.member)
    html = client.get(reverse("studios:detail", args=[cast.studio1.pk])).content.decode()
    assert "<p data-test-section>member · 一号工作室</p>" in html and "称号与考核" in html
    html = client.get(reverse("studios:detail", args=[cast.studio2.pk])).content.decode()
    assert "data-test-section" not in html


def test_the_page_lists_the_challenges_a_studio_won_with_its_accepted_milestones(client, cast):
    from tests.challenges.conftest import make_world

    challenge = make_world(cast).in_state(Challenge.State.ACCEPTED)
    client.force_login(cast.outsider)
    page = client.get(reverse("studios:detail", args=[cast.studio2.pk]))
    html = page.content.decode()
    assert 'data-section="challenges"' in html and challenge.title in html
    figures = dict((figure.key, value) for figure, value in page.context["domain_figures"])
    assert figures["challenges_won"] == 1 and figures["challenges_bid_on"] == 1
    # The API gives the same figures as the page.
    api = client.get(f"/api/v1/studios/{cast.studio2.pk}/").json()["figures"]
    assert api["challenges_won"] == 1 and api["challenges_bid_on"] == 1 and set(api) == set(figures)
    # studio1 bid and lost: no section of challenges won.
    assert (
        'data-section="challenges"'
        not in client.get(reverse("studios:detail", args=[cast.studio1.pk])).content.decode()
    )


def test_mentor_pairs_are_listed_only_for_who_may_read_them(client, cast):
    mentors.mentor_pair_create(
        actor=cast.leader1,
        studio=cast.studio1,
        mentor=cast.leader1,
        apprentice=cast.member,
        skill="氩弧焊",
        started_on=datetime.date(2025, 3, 1),
    )
    url = reverse("studios:detail", args=[cast.studio1.pk])
    for role, sees in (("member", True), ("admin", True), ("outsider", False), ("leader2", False)):
        client.force_login(getattr(cast, role))
        page = client.get(url)
        assert ("氩弧焊" in page.content.decode()) == sees, role
        # The count is the studio's figure, the same for everyone.
        assert (
            dict((figure.key, value) for figure, value in page.context["domain_figures"])["mentor_pairs"] == 1
        )
