"""Studio writes (platform_core/orgs/services.py) and the rules behind them (orgs/permissions.py)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from platform_core.accounts.models import AdminGrant
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from platform_core.orgs import events, permissions
from platform_core.orgs import services as org_services
from platform_core.orgs.models import Studio, StudioMembership, Unit
from tests.cast import ADMINS, EDITORS, LIVE_FOLLOWERS, ROLES, UNION_ADMINS
from tests.events import delist, make_user, published, stored_event_count, stored_events, user_topic


@pytest.fixture
def newcomer(cast):
    return make_user("newcomer", cast.unit_a, birth_year=1999)


@pytest.fixture
def studio3(cast):
    """A studio in unit C, under group H, where `admin` (group G only) has no say."""
    studio = Studio.objects.create(
        name="三号工作室", unit=cast.unit_c, type=Studio.Type.SERVICE, leader=cast.outsider
    )
    StudioMembership.objects.create(
        studio=studio,
        user=cast.outsider,
        role=StudioMembership.Role.LEADER,
        joined_on=datetime.date(2024, 1, 1),
    )
    return studio


def audit_rows(action: str | None = None) -> list[AuditEntry]:
    # The cast's studios were named through the service: leave that out.
    rows = AuditEntry.objects.exclude(action=events.STUDIO_CREATED)
    if action:
        rows = rows.filter(action=action)
    return list(rows)


def test_the_role_matrix_covers_the_whole_cast(cast):
    assert list(cast.everyone()) == list(ROLES)


# --- permissions.py ---------------------------------------------------------------------------


def rules_for(user, studio: Studio) -> dict[str, bool]:
    return {
        "view": permissions.can_view_studio(user, studio),
        "edit": permissions.can_edit_studio(user, studio),
        "manage": permissions.can_manage_members(user, studio),
        "delist": permissions.can_delist_studio(user, studio),
        "follow": permissions.can_follow_studio_live(user, studio),
        "member": permissions.is_studio_member(user, studio),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_exactly_its_rights_over_an_active_studio(cast, role):
    user = cast.everyone()[role]
    assert rules_for(user, cast.studio1) == {
        "view": True,
        "edit": role in EDITORS,
        "manage": role in EDITORS,
        "delist": role in ADMINS,
        "follow": role in LIVE_FOLLOWERS,
        "member": role in {"leader1", "member"},
    }


@pytest.mark.parametrize("role", ROLES)
def test_a_delisted_studio_is_seen_only_by_its_people_and_nobody_manages_members(cast, role):
    user = cast.everyone()[role]
    studio = delist(cast.studio1)
    assert rules_for(user, studio) == {
        "view": role in LIVE_FOLLOWERS,
        "edit": role in EDITORS,
        "manage": False,
        "delist": role in ADMINS,
        "follow": role in LIVE_FOLLOWERS,
        "member": role in {"leader1", "member"},
    }


@pytest.mark.parametrize("role", ROLES)
def test_union_admin_is_whoever_holds_a_grant_or_is_superuser(cast, role):
    assert permissions.is_union_admin(cast.everyone()[role]) == (role in UNION_ADMINS)


def test_anonymous_visitors_have_no_rights_over_studios(cast):
    anonymous = AnonymousUser()
    assert set(rules_for(anonymous, cast.studio1).values()) == {False}
    assert not permissions.is_union_admin(anonymous)
    assert not permissions.admin_covers_unit(anonymous, cast.unit_a)


def test_group_admin_covers_units_under_the_group_and_the_group_itself(cast):
    assert permissions.admin_covers_unit(cast.admin, cast.unit_a)
    assert permissions.admin_covers_unit(cast.admin, cast.unit_b)
    assert permissions.admin_covers_unit(cast.admin, cast.group_g)
    assert not permissions.admin_covers_unit(cast.admin, cast.unit_c)
    assert not permissions.admin_covers_unit(cast.admin, cast.group_h)


def test_region_admin_covers_units_in_the_region_only(cast):
    regional = make_user("regional")
    AdminGrant.objects.create(user=regional, region="上海")
    assert permissions.admin_covers_unit(regional, cast.unit_c)
    assert not permissions.admin_covers_unit(regional, cast.unit_a)


def test_admin_of_group_g_has_no_rights_over_a_studio_in_group_h(cast, studio3):
    assert rules_for(cast.admin, studio3) == {
        "view": True,
        "edit": False,
        "manage": False,
        "delist": False,
        "follow": False,
        "member": False,
    }
    assert rules_for(cast.superadmin, studio3)["delist"]


def test_a_unit_cycle_does_not_loop_forever(cast):
    loop = Unit.objects.create(name="环", parent=cast.unit_a)
    Unit.objects.filter(pk=cast.unit_a.pk).update(parent=loop)
    cast.unit_a.refresh_from_db()
    assert not permissions.admin_covers_unit(cast.admin, cast.unit_a)


# --- studio_create ------------------------------------------------------------------------------


def new_studio(cast, **fields) -> Studio:
    fields = {
        "name": "新工作室",
        "unit": cast.unit_a,
        "type": Studio.Type.SERVICE,
        "leader": cast.expert,
        **fields,
    }
    return Studio(**fields)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_over_the_unit_may_name_a_studio(cast, role, django_capture_on_commit_callbacks):
    actor = cast.everyone()[role]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if role in ADMINS:
            org_services.studio_create(actor=actor, studio=new_studio(cast))
        else:
            with pytest.raises(PermissionDenied):
                org_services.studio_create(actor=actor, studio=new_studio(cast))
    assert Studio.objects.filter(name="新工作室").exists() == (role in ADMINS)
    assert len(published(callbacks)) == (1 if role in ADMINS else 0)


def test_naming_a_studio_makes_its_leader_a_member_records_and_notifies(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        studio = org_services.studio_create(
            actor=cast.admin,
            studio=new_studio(
                cast, founded_on=datetime.date(2020, 5, 1), description="简介\x07", fields="焊接，数控"
            ),
            ip_address="10.0.0.8",
        )
    membership = StudioMembership.objects.get(studio=studio)
    assert (membership.user, membership.role, membership.joined_on) == (
        cast.expert,
        StudioMembership.Role.LEADER,
        datetime.date(2020, 5, 1),
    )
    assert (studio.description, studio.fields, studio.is_active) == ("简介", ["焊接", "数控"], True)
    (entry,) = AuditEntry.objects.filter(action=events.STUDIO_CREATED, target_id=str(studio.pk))
    assert (entry.actor, entry.ip_address) == (cast.admin, "10.0.0.8")
    assert entry.data == {"unit_id": cast.unit_a.pk, "leader_id": cast.expert.pk}
    notification = Notification.objects.get(recipient=cast.expert)
    assert (notification.kind, notification.url) == (events.STUDIO_CREATED, f"/studios/{studio.pk}/")
    assert "新工作室" in notification.title
    assert published(callbacks) == [("event", user_topic(cast.expert), 1, "notification.created")]


def test_a_studio_named_without_a_founding_date_counts_its_leader_from_today(cast):
    studio = org_services.studio_create(actor=cast.superadmin, studio=new_studio(cast))
    assert StudioMembership.objects.get(studio=studio).joined_on == timezone.localdate()


def test_a_duplicate_studio_name_is_refused_and_leaves_no_trace(cast):
    with pytest.raises(ValidationError):
        org_services.studio_create(actor=cast.superadmin, studio=new_studio(cast, name=cast.studio1.name))
    assert not Notification.objects.filter(recipient=cast.expert).exists()


# --- studio_member_add --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_leader_and_admins_over_the_studio_may_add_members(
    cast, newcomer, role, django_capture_on_commit_callbacks
):
    actor = cast.everyone()[role]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if role in EDITORS:
            membership = org_services.studio_member_add(actor=actor, studio=cast.studio1, user=newcomer)
        else:
            with pytest.raises(PermissionDenied):
                org_services.studio_member_add(actor=actor, studio=cast.studio1, user=newcomer)
    is_member = StudioMembership.objects.filter(studio=cast.studio1, user=newcomer).exists()
    assert is_member == (role in EDITORS)
    if role in EDITORS:
        assert membership.role == StudioMembership.Role.MEMBER
        assert [row.actor for row in audit_rows("studio.member_added")] == [actor]
        assert len(published(callbacks)) == 2
    else:
        assert audit_rows() == []
        assert callbacks == []
        assert stored_event_count() == cast.setup_events
        assert not Notification.objects.filter(recipient=newcomer).exists()


def test_adding_a_member_records_emits_and_notifies(cast, newcomer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership = org_services.studio_member_add(
            actor=cast.leader1,
            studio=cast.studio1,
            user=newcomer,
            role=StudioMembership.Role.CORE,
            ip_address="10.1.2.3",
        )
    assert membership.joined_on == timezone.localdate()
    assert membership.role == "core"

    (entry,) = audit_rows()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.ip_address) == (
        cast.leader1,
        "studio.member_added",
        "orgs.studio",
        str(cast.studio1.pk),
        "10.1.2.3",
    )
    assert entry.target_repr == "一号工作室"
    assert entry.data == {"user_id": newcomer.pk, "role": "core"}

    (studio_event,) = stored_events(cast.studio1.topic)
    seq, name, data = studio_event
    assert (seq, name) == (1, "studio.member_added")
    member = data["member"]
    assert member["user_id"] == newcomer.pk
    assert member["name"] == "NEWCOMER"
    assert member["role"] == "core"
    assert member["joined_on"] == timezone.localdate().isoformat()

    notification = Notification.objects.get(recipient=newcomer)
    assert notification.kind == "studio.member_added"
    assert "一号工作室" in notification.title
    assert notification.url == f"/studios/{cast.studio1.pk}/"
    assert not notification.is_read
    ((seq, name, data),) = stored_events(user_topic(newcomer))
    assert (seq, name) == (1, "notification.created")
    assert data["notification"]["id"] == notification.pk
    assert data["unread"] == 1

    assert published(callbacks) == [
        ("event", cast.studio1.topic, 1, "studio.member_added"),
        ("event", user_topic(newcomer), 1, "notification.created"),
    ]


def test_notifications_are_written_in_the_platform_language_whatever_the_actor_speaks(cast, newcomer):
    with translation.override("en"):
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=newcomer)
        org_services.studio_delist(actor=cast.admin, studio=cast.studio1, reason="复评未通过")
    assert Notification.objects.get(recipient=newcomer).title == "您已加入工作室“一号工作室”"
    assert (
        Notification.objects.get(recipient=cast.leader1, kind=events.STUDIO_DELISTED).title
        == "“一号工作室”已被摘牌"
    )


def test_each_studio_event_takes_the_next_seq_of_its_topic(cast, django_capture_on_commit_callbacks):
    people = [make_user(f"p{n}", cast.unit_a) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=person)
        org_services.studio_member_add(actor=cast.leader2, studio=cast.studio2, user=people[0])
    assert [seq for seq, _n, _d in stored_events(cast.studio1.topic)] == [1, 2, 3]
    assert [seq for seq, _n, _d in stored_events(cast.studio2.topic)] == [1]
    # Two notifications for p0, each on its own topic's sequence.
    assert [seq for seq, _n, _d in stored_events(user_topic(people[0]))] == [1, 2]


def test_an_explicit_joining_date_is_kept(cast, newcomer):
    membership = org_services.studio_member_add(
        actor=cast.leader1, studio=cast.studio1, user=newcomer, joined_on=datetime.date(2020, 5, 4)
    )
    assert membership.joined_on == datetime.date(2020, 5, 4)


def test_adding_an_existing_member_is_refused(cast, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as error,
    ):
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=cast.member)
    assert "user" in error.value.message_dict
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).count() == 1
    assert callbacks == []
    assert audit_rows() == []
    assert stored_event_count() == cast.setup_events


def test_adding_the_leader_again_as_a_member_is_refused(cast):
    with pytest.raises(ValidationError):
        org_services.studio_member_add(actor=cast.admin, studio=cast.studio1, user=cast.leader1)


@pytest.mark.parametrize("role", ["leader", "boss", ""])
def test_role_leader_or_unknown_role_is_refused(cast, newcomer, role):
    with pytest.raises(ValidationError) as error:
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=newcomer, role=role)
    assert "role" in error.value.message_dict
    assert not StudioMembership.objects.filter(user=newcomer).exists()


def test_a_disabled_account_cannot_be_added(cast, newcomer):
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(ValidationError) as error:
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=newcomer)
    assert "user" in error.value.message_dict


def test_nobody_adds_members_to_a_delisted_studio(cast, newcomer):
    studio = delist(cast.studio1)
    for actor in (cast.leader1, cast.admin, cast.superadmin):
        with pytest.raises(PermissionDenied):
            org_services.studio_member_add(actor=actor, studio=studio, user=newcomer)


def test_any_member_role_but_leader_is_accepted(cast):
    for index, role in enumerate(["core", "member", "apprentice"]):
        person = make_user(f"r{index}", cast.unit_a)
        membership = org_services.studio_member_add(
            actor=cast.leader1, studio=cast.studio1, user=person, role=role
        )
        assert membership.role == role


# --- studio_member_remove -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_leader_and_admins_over_the_studio_may_remove_someone_else(
    cast, newcomer, role, django_capture_on_commit_callbacks
):
    StudioMembership.objects.create(studio=cast.studio1, user=newcomer, joined_on=datetime.date(2024, 2, 1))
    actor = cast.everyone()[role]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if role in EDITORS:
            org_services.studio_member_remove(actor=actor, studio=cast.studio1, user=newcomer)
        else:
            with pytest.raises(PermissionDenied):
                org_services.studio_member_remove(actor=actor, studio=cast.studio1, user=newcomer)
    still_member = StudioMembership.objects.filter(studio=cast.studio1, user=newcomer).exists()
    assert still_member == (role not in EDITORS)
    if role not in EDITORS:
        assert callbacks == []
        assert audit_rows() == []
        assert stored_event_count() == cast.setup_events


@pytest.mark.parametrize("service", ["studio_member_add", "studio_member_remove"])
def test_member_changes_are_checked_again_on_the_locked_row(cast, newcomer, service):
    """The caller's copy of the studio is stale (still active) while a delisting has committed:
    the permission is asked again of the row the service locked."""
    if service == "studio_member_remove":
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=newcomer)
    stale = Studio.objects.get(pk=cast.studio1.pk)
    delist(cast.studio1)
    with pytest.raises(PermissionDenied):
        getattr(org_services, service)(actor=cast.leader1, studio=stale, user=newcomer)
    still_member = StudioMembership.objects.filter(studio=cast.studio1, user=newcomer).exists()
    assert still_member == (service == "studio_member_remove")


def test_competitor_cannot_remove_members(cast):
    with pytest.raises(PermissionDenied):
        org_services.studio_member_remove(actor=cast.leader2, studio=cast.studio1, user=cast.member)
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()


def test_removing_a_member_records_revokes_emits_and_notifies(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_member_remove(
            actor=cast.leader1, studio=cast.studio1, user=cast.member, ip_address="192.0.2.9"
        )
    assert not StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()

    (entry,) = audit_rows()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.ip_address) == (
        cast.leader1,
        "studio.member_removed",
        "orgs.studio",
        str(cast.studio1.pk),
        "192.0.2.9",
    )
    assert entry.data == {"user_id": cast.member.pk}

    assert stored_events(cast.studio1.topic) == [
        (1, "studio.member_removed", {"user_id": cast.member.pk, "name": "MEMBER"})
    ]
    notification = Notification.objects.get(recipient=cast.member)
    assert notification.kind == "studio.member_removed"
    assert "一号工作室" in notification.title
    ((seq, name, _data),) = stored_events(user_topic(cast.member))
    assert (seq, name) == (1, "notification.created")

    # The removal event itself ends the removed member's live access to the studio.
    assert published(callbacks) == [
        ("event", cast.studio1.topic, 1, "studio.member_removed", (cast.member.pk,)),
        ("event", user_topic(cast.member), 1, "notification.created"),
    ]


def test_a_member_may_leave_by_choice_without_being_notified(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_member_remove(actor=cast.member, studio=cast.studio1, user=cast.member)
    assert not StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()
    (entry,) = audit_rows("studio.member_removed")
    assert entry.actor == cast.member
    assert not Notification.objects.filter(recipient=cast.member).exists()
    assert [name for _s, name, _d in stored_events(cast.studio1.topic)] == ["studio.member_removed"]
    assert published(callbacks) == [
        ("event", cast.studio1.topic, 1, "studio.member_removed", (cast.member.pk,)),
    ]


def test_a_member_may_leave_a_delisted_studio(cast):
    studio = delist(cast.studio1)
    org_services.studio_member_remove(actor=cast.member, studio=studio, user=cast.member)
    assert not StudioMembership.objects.filter(studio=studio, user=cast.member).exists()


def test_a_member_cannot_remove_another_member(cast, newcomer):
    StudioMembership.objects.create(studio=cast.studio1, user=newcomer, joined_on=datetime.date(2024, 2, 1))
    with pytest.raises(PermissionDenied):
        org_services.studio_member_remove(actor=cast.member, studio=cast.studio1, user=newcomer)


@pytest.mark.parametrize("actor_name", ["leader1", "admin", "superadmin"])
def test_the_leader_cannot_be_removed(cast, actor_name, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as error,
    ):
        org_services.studio_member_remove(
            actor=getattr(cast, actor_name), studio=cast.studio1, user=cast.leader1
        )
    assert "user" in error.value.message_dict
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.leader1).exists()
    assert callbacks == []
    assert audit_rows() == []


def test_removing_someone_who_is_not_a_member_is_refused_and_leaves_no_trace(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        org_services.studio_member_remove(actor=cast.leader1, studio=cast.studio1, user=cast.outsider)
    assert callbacks == []
    assert audit_rows() == []
    assert stored_event_count() == cast.setup_events
    assert not Notification.objects.filter(recipient=cast.outsider).exists()


def test_an_outsider_cannot_leave_a_studio_they_are_not_in(cast):
    with pytest.raises(ValidationError):
        org_services.studio_member_remove(actor=cast.outsider, studio=cast.studio1, user=cast.outsider)


def test_removing_an_admin_over_the_studio_does_not_revoke_their_live_access(
    cast, django_capture_on_commit_callbacks
):
    StudioMembership.objects.create(studio=cast.studio1, user=cast.admin, joined_on=datetime.date(2024, 2, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_member_remove(actor=cast.leader1, studio=cast.studio1, user=cast.admin)
    assert [item[0] for item in published(callbacks)] == ["event", "event"]


# --- studio_update ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_leader_and_admins_over_the_studio_may_edit_it(cast, role):
    actor = cast.everyone()[role]
    if role in EDITORS:
        org_services.studio_update(actor=actor, studio=cast.studio1, description="新简介")
    else:
        with pytest.raises(PermissionDenied):
            org_services.studio_update(actor=actor, studio=cast.studio1, description="新简介")
    cast.studio1.refresh_from_db()
    assert (cast.studio1.description == "新简介") == (role in EDITORS)
    assert len(audit_rows("studio.updated")) == (1 if role in EDITORS else 0)


def test_update_cleans_the_description_and_parses_the_fields(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_update(
            actor=cast.leader1,
            studio=cast.studio1,
            description="  第一行\r\n第二行\x00\x07\u202e尾\u200b巴 ",
            fields="焊接，数控、 质量 ,焊接;;",
            ip_address="203.0.113.5",
        )
    cast.studio1.refresh_from_db()
    assert cast.studio1.description == "第一行\n第二行尾巴"
    assert cast.studio1.fields == ["焊接", "数控", "质量"]

    (entry,) = audit_rows()
    assert (entry.actor, entry.action, entry.target_id, entry.ip_address) == (
        cast.leader1,
        "studio.updated",
        str(cast.studio1.pk),
        "203.0.113.5",
    )
    assert entry.data == {"fields": ["description", "fields"]}
    assert stored_events(cast.studio1.topic) == [
        (1, "studio.updated", {"description": "第一行\n第二行尾巴", "fields": ["焊接", "数控", "质量"]})
    ]
    assert published(callbacks) == [("event", cast.studio1.topic, 1, "studio.updated")]


def test_fields_may_be_given_as_a_list(cast):
    org_services.studio_update(actor=cast.leader1, studio=cast.studio1, fields=[" 焊接 ", "焊接", "", "数控"])
    cast.studio1.refresh_from_db()
    assert cast.studio1.fields == ["焊接", "数控"]


def test_fields_are_capped_in_number_and_length(cast):
    org_services.studio_update(
        actor=cast.leader1,
        studio=cast.studio1,
        fields="、".join(f"领域{n}" for n in range(20)) + "、" + "长" * 50,
    )
    cast.studio1.refresh_from_db()
    assert len(cast.studio1.fields) == 12
    assert cast.studio1.fields[0] == "领域0"


def test_an_overlong_description_is_cut_to_4000_characters(cast):
    org_services.studio_update(actor=cast.leader1, studio=cast.studio1, description="字" * 5000)
    cast.studio1.refresh_from_db()
    assert len(cast.studio1.description) == 4000


def test_update_only_touches_what_is_given(cast):
    cast.studio1.fields = ["原有"]
    cast.studio1.save()
    org_services.studio_update(actor=cast.leader1, studio=cast.studio1, description="只改简介")
    cast.studio1.refresh_from_db()
    assert cast.studio1.fields == ["原有"]
    assert audit_rows()[0].data == {"fields": ["description"]}


def test_an_update_with_nothing_to_change_records_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_update(actor=cast.leader1, studio=cast.studio1)
    assert callbacks == []
    assert audit_rows() == []
    assert stored_event_count() == cast.setup_events


# --- studio_delist and studio_reinstate ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_over_the_studio_may_delist_it(cast, role):
    actor = cast.everyone()[role]
    if role in ADMINS:
        org_services.studio_delist(actor=actor, studio=cast.studio1, reason="复评未通过")
    else:
        with pytest.raises(PermissionDenied):
            org_services.studio_delist(actor=actor, studio=cast.studio1, reason="复评未通过")
    cast.studio1.refresh_from_db()
    assert cast.studio1.is_active == (role not in ADMINS)


def test_delisting_records_emits_and_notifies_the_leader(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        studio = org_services.studio_delist(
            actor=cast.admin, studio=cast.studio1, reason="  近两年无新增成果\x07\u202e ", ip_address="::1"
        )
    assert studio.status == Studio.Status.DELISTED
    cast.studio1.refresh_from_db()
    assert cast.studio1.status == Studio.Status.DELISTED
    assert cast.studio1.delisted_reason == "近两年无新增成果"
    assert cast.studio1.delisted_at is not None

    (entry,) = audit_rows()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.ip_address) == (
        cast.admin,
        "studio.delisted",
        "orgs.studio",
        str(cast.studio1.pk),
        "::1",
    )
    assert entry.data == {"reason": "近两年无新增成果"}
    assert stored_events(cast.studio1.topic) == [(1, "studio.delisted", {"reason": "近两年无新增成果"})]

    notification = Notification.objects.get(recipient=cast.leader1, kind=events.STUDIO_DELISTED)
    assert notification.kind == "studio.delisted"
    assert notification.body == "近两年无新增成果"
    assert (
        not Notification.objects.exclude(recipient=cast.leader1).exclude(kind=events.STUDIO_CREATED).exists()
    )
    assert published(callbacks) == [
        ("event", cast.studio1.topic, 1, "studio.delisted"),
        # The leader's second notification: the first told them they lead the new studio.
        ("event", user_topic(cast.leader1), 2, "notification.created"),
    ]


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x07\u200b", "\n\n"])
def test_delisting_without_a_reason_is_refused(cast, reason):
    with pytest.raises(ValidationError) as error:
        org_services.studio_delist(actor=cast.admin, studio=cast.studio1, reason=reason)
    assert "reason" in error.value.message_dict
    cast.studio1.refresh_from_db()
    assert cast.studio1.is_active
    assert audit_rows() == []


def test_delisting_twice_is_refused(cast, django_capture_on_commit_callbacks):
    org_services.studio_delist(actor=cast.admin, studio=cast.studio1, reason="第一次")
    # The caller's copy is stale (still active): the service must re-read the studio.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as error,
    ):
        org_services.studio_delist(actor=cast.superadmin, studio=cast.studio1, reason="第二次")
    assert "status" in error.value.message_dict
    assert callbacks == []
    assert len(audit_rows("studio.delisted")) == 1
    assert Studio.objects.get(pk=cast.studio1.pk).delisted_reason == "第一次"


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_over_the_studio_may_reinstate_it(cast, role):
    studio = delist(cast.studio1)
    actor = cast.everyone()[role]
    if role in ADMINS:
        org_services.studio_reinstate(actor=actor, studio=studio)
    else:
        with pytest.raises(PermissionDenied):
            org_services.studio_reinstate(actor=actor, studio=studio)
    studio.refresh_from_db()
    assert studio.is_active == (role in ADMINS)


def test_reinstating_clears_the_delisting_and_continues_the_topic_sequence(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.studio_delist(actor=cast.admin, studio=cast.studio1, reason="复评未通过")
        studio = org_services.studio_reinstate(actor=cast.admin, studio=cast.studio1, ip_address="10.0.0.1")
    assert studio.is_active
    studio.refresh_from_db()
    assert (studio.status, studio.delisted_reason, studio.delisted_at) == ("active", "", None)
    entry = audit_rows("studio.reinstated")[0]
    assert (entry.actor, entry.target_id, entry.ip_address) == (cast.admin, str(studio.pk), "10.0.0.1")
    assert [(seq, name) for seq, name, _d in stored_events(studio.topic)] == [
        (1, "studio.delisted"),
        (2, "studio.reinstated"),
    ]
    assert ("event", studio.topic, 2, "studio.reinstated") in published(callbacks)


def test_reinstating_an_active_studio_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        org_services.studio_reinstate(actor=cast.admin, studio=cast.studio1)
    assert "status" in error.value.message_dict
    assert audit_rows() == []


# --- the admin of group G over a studio in group H ----------------------------------------------


def test_admin_of_another_group_cannot_touch_the_studio(cast, studio3, newcomer):
    calls = [
        lambda: org_services.studio_member_add(actor=cast.admin, studio=studio3, user=newcomer),
        lambda: org_services.studio_member_remove(actor=cast.admin, studio=studio3, user=cast.member),
        lambda: org_services.studio_update(actor=cast.admin, studio=studio3, description="改"),
        lambda: org_services.studio_delist(actor=cast.admin, studio=studio3, reason="不合格"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    delist(studio3)
    with pytest.raises(PermissionDenied):
        org_services.studio_reinstate(actor=cast.admin, studio=studio3)
    assert audit_rows() == []
    assert stored_event_count() == cast.setup_events


def test_superadmin_and_the_studios_own_leader_can_act_in_group_h(cast, studio3, newcomer):
    org_services.studio_member_add(actor=cast.outsider, studio=studio3, user=newcomer)
    org_services.studio_update(actor=cast.outsider, studio=studio3, description="三号简介")
    org_services.studio_delist(actor=cast.superadmin, studio=studio3, reason="不合格")
    assert [row.action for row in reversed(audit_rows())] == [
        "studio.member_added",
        "studio.updated",
        "studio.delisted",
    ]


def test_group_admin_can_act_on_every_studio_of_the_group(cast, newcomer):
    org_services.studio_member_add(actor=cast.admin, studio=cast.studio2, user=newcomer)
    org_services.studio_delist(actor=cast.admin, studio=cast.studio2, reason="不合格")
    assert Studio.objects.get(pk=cast.studio2.pk).status == Studio.Status.DELISTED
