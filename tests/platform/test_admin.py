"""The Django admin: every model registered, usable in Chinese, and no back door around services."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from platform_core.orgs.models import Studio, StudioMembership
from platform_core.realtime.models import Event, Topic
from platform_core.realtime.services import emit

OUR_APPS = {
    "accounts",
    "orgs",
    "audit",
    "realtime",
    "notifications",
    "challenges",
    "alliances",
    "showcase",
    "consulting",
    "exchange",
    "learning",
}


def test_every_model_of_ours_is_registered():
    ours = [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]
    assert ours
    assert [model.__name__ for model in ours if not admin.site.is_registered(model)] == []


def test_every_changelist_and_add_page_renders_in_chinese(client, cast):
    client.force_login(cast.superadmin)
    emit(cast.studio1.topic, "test.tick", {})
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert response.status_code == 200, info
        assert '<html lang="zh-hans"' in response.content.decode()
        if model_admin.has_add_permission(response.wsgi_request):
            assert client.get(reverse(f"admin:{info[0]}_{info[1]}_add")).status_code == 200, info


def test_topics_and_events_cannot_be_added_changed_or_deleted_in_the_admin(client, cast):
    client.force_login(cast.superadmin)
    event = emit(cast.studio1.topic, "test.tick", {})
    topic = Topic.objects.get(name=cast.studio1.topic)
    for model, obj in ((Topic, topic), (Event, event)):
        model_admin = admin.site._registry[model]
        request = client.get("/admin/").wsgi_request
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)


def test_studio_memberships_are_read_only_in_the_admin(client, cast):
    client.force_login(cast.superadmin)
    response = client.get(reverse("admin:orgs_studio_change", args=[cast.studio1.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="memberships-0-user"' not in html
    assert 'name="leader"' not in html


@pytest.mark.parametrize("founded", ["2020-05-01", ""])
def test_naming_a_studio_in_the_admin_makes_its_leader_a_member(client, cast, founded):
    client.force_login(cast.superadmin)
    response = client.post(
        reverse("admin:orgs_studio_add"),
        {
            "name": "新命名工作室",
            "unit": cast.unit_c.pk,
            "type": "service",
            "level": "grassroots",
            "leader": cast.outsider.pk,
            "founded_on": founded,
            "description": "",
            "fields": "[]",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    studio = Studio.objects.get(name="新命名工作室")
    membership = StudioMembership.objects.get(studio=studio, user=cast.outsider)
    assert membership.role == StudioMembership.Role.LEADER
