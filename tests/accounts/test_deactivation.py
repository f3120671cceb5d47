"""Disabling an account ends its sessions: re-enabling it never revives an old cookie."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from platform_core.accounts.services import user_set_active
from platform_core.audit.models import AuditEntry


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/profile/").status_code == 200
    return client


def is_logged_in(client: Client) -> bool:
    return client.get("/profile/").status_code == 200


def disable_by_save(user) -> None:  # the admin's change form, or any code that saves the user
    user.is_active = False
    user.save()


def disable_by_service(user, actor) -> None:
    user_set_active(actor=actor, user=user, active=False)


def disable_by_admin_action(user, actor) -> None:
    admin = Client()
    admin.force_login(actor)
    response = admin.post(
        "/admin/accounts/user/", {"action": "disable_accounts", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["save", "service", "admin action"])
def test_a_disabled_and_re_enabled_account_must_log_in_again(cast, django_capture_on_commit_callbacks, path):
    member, bystander = logged_in(cast.member), logged_in(cast.leader1)
    with django_capture_on_commit_callbacks(execute=True):
        if path == "save":
            disable_by_save(cast.member)
        elif path == "service":
            disable_by_service(cast.member, cast.superadmin)
        else:
            disable_by_admin_action(cast.member, cast.superadmin)
    cast.member.refresh_from_db()
    assert not cast.member.is_active
    with django_capture_on_commit_callbacks(execute=True):
        user_set_active(actor=cast.superadmin, user=cast.member, active=True)
    assert not is_logged_in(member)
    assert is_logged_in(bystander)


def test_re_enabling_after_a_bulk_update_also_ends_the_old_sessions(cast, django_capture_on_commit_callbacks):
    member = logged_in(cast.member)
    get_user_model().objects.filter(pk=cast.member.pk).update(is_active=False)  # no signal
    cast.member.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cast.member.is_active = True
        cast.member.save()
    assert not is_logged_in(member)


def test_only_an_administrator_may_disable_an_account_and_it_is_audited(cast):
    with pytest.raises(PermissionDenied):
        user_set_active(actor=cast.admin, user=cast.member, active=False)
    user_set_active(actor=cast.superadmin, user=cast.member, active=False)
    assert AuditEntry.objects.filter(action="user.disabled", actor=cast.superadmin).count() == 1
