"""The union's acts on a studio (naming it, renaming it, changing its leader, unit, type or level):
services with audit entries and live events, reached from the pages and the API alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from platform_core.orgs import events, permissions
from platform_core.orgs import services as org_services
from platform_core.orgs.models import Studio, StudioMembership, Unit
from tests.cast import ADMINS, ROLES
from tests.events import make_user, published, stored_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def actions(studio: Studio) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(studio.pk), action__startswith="studio.")
        .exclude(action=events.STUDIO_CREATED)
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_union_admins_over_its_unit_administer_a_studio(cast, role):
    user = cast.everyone()[role]
    assert permissions.can_administer_studio(user, cast.studio1) == (role in ADMINS)
    if role in ADMINS:
        org_services.studio_administer(actor=user, studio=cast.studio1, level=Studio.Level.INDUSTRY)
        assert Studio.objects.get(pk=cast.studio1.pk).level == Studio.Level.INDUSTRY
    else:
        with pytest.raises(PermissionDenied):
            org_services.studio_administer(actor=user, studio=cast.studio1, level=Studio.Level.INDUSTRY)
        assert Studio.objects.get(pk=cast.studio1.pk).level == Studio.Level.GROUP
        assert actions(cast.studio1) == []


def test_each_change_is_its_own_audit_entry_and_live_event(cast, django_capture_on_commit_callbacks):
    before = len(stored_events(cast.studio1.topic))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_administer(
            actor=cast.admin,
            studio=cast.studio1,
            name="  一号 创新工作室 ",
            type=Studio.Type.RESEARCH,
            level=Studio.Level.PROVINCIAL,
        )
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert (studio.name, studio.type, studio.level) == ("一号 创新工作室", "research", "provincial")
    assert actions(studio) == [events.STUDIO_RENAMED, events.STUDIO_RECLASSIFIED]
    renamed = AuditEntry.objects.get(action=events.STUDIO_RENAMED)
    assert renamed.data == {"old": "一号工作室", "new": "一号 创新工作室"} and renamed.actor == cast.admin
    names = [name for _seq, name, _data in stored_events(studio.topic)[before:]]
    assert names == [events.STUDIO_RENAMED, events.STUDIO_RECLASSIFIED]
    assert [item[3] for item in published(callbacks) if item[1] == studio.topic] == names
    reclassified = stored_events(studio.topic)[-1][2]
    assert reclassified["type"] == "research" and reclassified["level"] == "provincial"


def test_nothing_changed_records_nothing(cast):
    org_services.studio_administer(
        actor=cast.admin,
        studio=cast.studio1,
        name="一号工作室",
        type="skill",
        level="group",
        unit=cast.unit_a,
    )
    assert actions(cast.studio1) == []


def test_a_new_leader_leads_and_the_former_one_stays_a_core_member(cast):
    newcomer = make_user("newcomer", cast.unit_a)
    org_services.studio_administer(actor=cast.admin, studio=cast.studio1, leader=newcomer)
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert studio.leader == newcomer
    roles = dict(StudioMembership.objects.filter(studio=studio).values_list("user__username", "role"))
    assert roles["newcomer"] == StudioMembership.Role.LEADER
    assert roles["leader1"] == StudioMembership.Role.CORE
    assert actions(studio) == [events.STUDIO_LEADER_CHANGED]
    told = Notification.objects.filter(kind=events.STUDIO_LEADER_CHANGED)
    assert set(told.values_list("recipient__username", flat=True)) == {"newcomer", "leader1"}
    # The new leader now edits the studio; the former one no longer does.
    assert permissions.can_edit_studio(newcomer, studio) and not permissions.can_edit_studio(
        cast.leader1, studio
    )


def test_a_member_made_leader_keeps_one_membership(cast):
    org_services.studio_administer(actor=cast.admin, studio=cast.studio1, leader=cast.member)
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).count() == 1
    assert StudioMembership.objects.get(studio=cast.studio1, user=cast.member).role == "leader"


def test_a_disabled_account_cannot_lead(cast):
    cast.outsider.is_active = False
    cast.outsider.save()
    with pytest.raises(ValidationError) as refused:
        org_services.studio_administer(actor=cast.admin, studio=cast.studio1, leader=cast.outsider)
    assert "leader" in refused.value.message_dict


def test_a_move_out_of_an_admins_units_ends_their_live_access(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_administer(actor=cast.superadmin, studio=cast.studio1, unit=cast.unit_c)
    moved = [item for item in published(callbacks) if item[1] == cast.studio1.topic]
    # admin (group G) no longer follows it; admin2 (group H) now does and was never revoked.
    assert moved == [("event", cast.studio1.topic, moved[0][2], events.STUDIO_MOVED, (cast.admin.pk,))]


def test_moving_a_studio_needs_the_admin_over_both_units(cast):
    # admin oversees group G (units A, B), not H (unit C).
    with pytest.raises(PermissionDenied):
        org_services.studio_administer(actor=cast.admin, studio=cast.studio1, unit=cast.unit_c)
    org_services.studio_administer(actor=cast.admin, studio=cast.studio1, unit=cast.unit_b)
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert studio.unit == cast.unit_b
    entry = AuditEntry.objects.get(action=events.STUDIO_MOVED)
    assert entry.data == {"old_unit_id": cast.unit_a.pk, "unit_id": cast.unit_b.pk}
    org_services.studio_administer(actor=cast.superadmin, studio=studio, unit=cast.unit_c)
    assert Studio.objects.get(pk=studio.pk).unit == cast.unit_c
    # Now outside admin's scope: admin no longer administers it.
    assert not permissions.can_administer_studio(cast.admin, Studio.objects.get(pk=studio.pk))


def test_a_name_taken_by_another_studio_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        org_services.studio_administer(actor=cast.admin, studio=cast.studio1, name="二号工作室")
    assert refused.value.message_dict["name"] == ["Another studio already has this name."]
    with pytest.raises(ValidationError):
        org_services.studio_administer(actor=cast.admin, studio=cast.studio1, name="   ")


def test_unknown_type_or_level_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        org_services.studio_administer(actor=cast.admin, studio=cast.studio1, type="magic", level="cosmic")
    assert set(refused.value.message_dict) == {"type", "level"}


# --- pages --------------------------------------------------------------------------------------


def test_an_admin_names_a_studio_from_the_page(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("studios:create"))
    units = list(page.context["form"].fields["unit"].queryset)
    assert set(units) == {cast.unit_a, cast.unit_b}  # their scope, groups left out
    response = client.post(
        reverse("studios:create"),
        {
            "name": "新建工作室",
            "unit": cast.unit_b.pk,
            "type": "service",
            "level": "grassroots",
            "leader": "member",
        },
    )
    studio = Studio.objects.get(name="新建工作室")
    assert response.status_code == 302 and response["Location"] == reverse("studios:detail", args=[studio.pk])
    assert studio.leader == cast.member
    assert StudioMembership.objects.get(studio=studio, user=cast.member).role == "leader"
    assert AuditEntry.objects.filter(action=events.STUDIO_CREATED, target_id=str(studio.pk)).exists()


def test_naming_in_a_unit_outside_the_scope_is_refused_and_keeps_the_input(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("studios:create"),
        {
            "name": "越权工作室",
            "unit": cast.unit_c.pk,
            "type": "service",
            "level": "grassroots",
            "leader": "nobody",
        },
    )
    assert response.status_code == 400
    assert 'value="越权工作室"' in response.content.decode()
    errors = response.context["form"].errors
    assert set(errors) == {"unit", "leader"}  # a unit outside the scope is no choice of the form
    assert not Studio.objects.filter(name="越权工作室").exists()


@pytest.mark.parametrize("role", ["leader1", "member", "outsider", "expert"])
def test_who_is_no_union_admin_cannot_open_the_naming_page(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("studios:create")).status_code == 403


def test_the_studio_page_offers_the_union_form_only_to_its_admins(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("studios:detail", args=[cast.studio1.pk]))
    assert (
        page.context["can_administer"]
        and f'action="/studios/{cast.studio1.pk}/administer/"' in page.content.decode()
    )
    client.force_login(cast.leader1)
    page = client.get(reverse("studios:detail", args=[cast.studio1.pk]))
    assert not page.context["can_administer"] and "/administer/" not in page.content.decode()


def test_the_page_form_changes_the_leader_and_level(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("studios:administer", args=[cast.studio1.pk]),
        {
            "name": "一号工作室",
            "leader": "member",
            "unit": cast.unit_a.pk,
            "type": "skill",
            "level": "national",
        },
    )
    assert response.status_code == 302
    studio = Studio.objects.get(pk=cast.studio1.pk)
    assert (studio.leader, studio.level) == (cast.member, "national")
    assert actions(studio) == [events.STUDIO_LEADER_CHANGED, events.STUDIO_RECLASSIFIED]


# --- API ----------------------------------------------------------------------------------------


def test_the_api_names_a_studio_for_an_admin_and_refuses_a_leader(client, cast):
    body = {"name": "接口工作室", "unit_id": cast.unit_a.pk, "type": "research", "leader_id": cast.member.pk}
    client.force_login(cast.leader1)
    assert client.post("/api/v1/studios/", body, content_type="application/json").status_code == 403
    client.force_login(cast.admin)
    response = client.post("/api/v1/studios/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "接口工作室" and response.json()["leader"] == cast.member.name
    duplicate = client.post("/api/v1/studios/", body, content_type="application/json")
    assert duplicate.status_code == 400


def test_the_api_changes_what_the_page_changes_with_the_same_rule(client, cast):
    url = f"/api/v1/studios/{cast.studio1.pk}/"
    client.force_login(cast.leader1)
    # The leader edits the profile, not the union's record.
    assert client.patch(url, {"name": "改名"}, content_type="application/json").status_code == 403
    assert client.patch(url, {"description": "简介"}, content_type="application/json").status_code == 200
    client.force_login(cast.admin)
    response = client.patch(
        url,
        {"name": "改名工作室", "level": "industry", "unit_id": cast.unit_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["level"], response.json()["unit"]) == (
        "改名工作室",
        "industry",
        cast.unit_b.name,
    )
    refused = client.patch(
        url, {"unit_id": cast.unit_c.pk, "description": "不应保存"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Studio.objects.get(pk=cast.studio1.pk).description == "简介"
    assert Unit.objects.get(pk=cast.unit_c.pk).studios.count() == 0
