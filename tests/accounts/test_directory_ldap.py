"""Signing in against a real OpenLDAP server (tests/ldap_server.py, loaded from
tests/accounts/ldap/directory.ldif): the login page and the API token endpoint, through
django-auth-ldap and the directory service, beside the local accounts of the cast."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from platform_core.accounts import events
from platform_core.accounts import periodic as accounts_periodic
from platform_core.accounts.models import AdminGrant, ExpertProfile, PosterGrant, User
from platform_core.audit.models import AuditEntry
from tests.ldap_server import PASSWORDS, user_dn

pytestmark = pytest.mark.usefixtures("ldap_directory")


def sign_in(client, username: str, password: str | None = None):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password or PASSWORDS[username]}
    )


def signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


def refusal(response) -> list[str]:
    """The codes of the login form's errors: invalid_login, throttled, directory_<problem>."""
    return [error.code for error in response.context["form"].errors.as_data()["__all__"]]


def test_a_first_sign_in_makes_the_account_from_the_directory(client, cast):
    client.cookies["django_language"] = "en"  # the switcher's choice: pages ignore Accept-Language
    login_page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"enterprise account" in login_page.content
    response = sign_in(client, "zhangwei")
    assert response.status_code == 302 and signed_in_as(client) == "zhangwei"
    user = User.objects.get(username="zhangwei")
    assert (user.display_name, user.unit, user.job_title, user.phone, user.email) == (
        "张伟",
        cast.unit_a,
        "网络优化工程师",
        "010-8888 1234",
        "zhangwei@corp.example",
    )
    assert user.directory_source == "ldap" and len(user.directory_id) == 36  # slapd's entryUUID
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(action=events.DIRECTORY_ACCOUNT_CREATED, target_id=str(user.pk)).exists()
    assert client.get("/challenges/").status_code == 200


def test_a_wrong_password_is_refused_and_makes_no_account(client, cast):
    response = sign_in(client, "zhangwei", "not-the-password")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert refusal(response) == ["invalid_login"]
    assert not User.objects.filter(username="zhangwei").exists()


def test_a_person_the_directory_disabled_cannot_sign_in(client, cast):
    response = sign_in(client, "wangwu")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert refusal(response) == ["invalid_login"]
    assert not User.objects.filter(username="wangwu").exists()


def test_directory_groups_become_grants_and_are_audited(client, cast):
    sign_in(client, "zhangwei")
    client.logout()
    sign_in(client, "lina")
    zhang, li = User.objects.get(username="zhangwei"), User.objects.get(username="lina")
    assert list(PosterGrant.objects.filter(user=zhang).values_list("unit", "from_directory")) == [
        (cast.unit_a.pk, True)
    ]
    assert ExpertProfile.objects.filter(
        user=zhang, committee="technical", active=True, from_directory=True
    ).exists()
    assert list(AdminGrant.objects.filter(user=li).values_list("group", "from_directory")) == [
        (cast.group_g.pk, True)
    ]
    given = AuditEntry.objects.filter(action=events.DIRECTORY_GRANT_GIVEN).values_list(
        "target_id", "data__grant"
    )
    assert sorted(given) == sorted(
        [(str(zhang.pk), "poster"), (str(zhang.pk), "expert"), (str(li.pk), "admin")]
    )


def test_changes_in_the_directory_are_picked_up_at_the_next_sign_in(client, cast, ldap_directory):
    sign_in(client, "zhangwei")
    zhang = User.objects.get(username="zhangwei")
    by_hand = PosterGrant.objects.create(user=zhang, unit=cast.unit_c)
    ldap_directory.replace(user_dn("zhangwei"), title="主任工程师", ou="单位B", telephoneNumber=None)
    ldap_directory.remove_member("jbgs-posters", "zhangwei")
    client.logout()
    assert sign_in(client, "zhangwei").status_code == 302
    zhang.refresh_from_db()
    assert (zhang.job_title, zhang.unit, zhang.phone) == ("主任工程师", cast.unit_b, "")
    assert list(PosterGrant.objects.filter(user=zhang)) == [by_hand]
    taken = AuditEntry.objects.get(action=events.DIRECTORY_GRANT_TAKEN)
    assert taken.data == {"source": "ldap", "grant": "poster", "unit": "单位A"}


def test_the_periodic_step_disables_a_person_the_directory_no_longer_returns(
    client, cast, ldap_directory, django_capture_on_commit_callbacks
):
    sign_in(client, "zhangwei")
    li_client = client.__class__()
    sign_in(li_client, "lina")
    zhang = User.objects.get(username="zhangwei")
    token = Token.objects.create(user=zhang).key
    ldap_directory.replace(user_dn("zhangwei"), employeeType="disabled")
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        counts = accounts_periodic.run(later)
    assert counts == {"rechecked": 1, "dropped": 1, "unavailable": 0}
    zhang.refresh_from_db()
    assert not zhang.is_active and zhang.directory_dropped_at == later
    assert client.get("/profile/").status_code == 302  # the session ended
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code in {401, 403}
    assert li_client.get("/profile/").status_code == 200  # the other directory person stays
    # The person cannot sign in while the directory leaves them out; back in, they can again.
    assert sign_in(client, "zhangwei").status_code == 200
    ldap_directory.replace(user_dn("zhangwei"), employeeType=None)
    assert sign_in(client, "zhangwei").status_code == 302
    zhang.refresh_from_db()
    assert zhang.is_active and zhang.directory_dropped_at is None


def test_a_deleted_entry_is_dropped_too_and_local_accounts_are_never_rechecked(client, cast, ldap_directory):
    sign_in(client, "chenjing")
    ldap_directory.delete(user_dn("chenjing"))
    counts = accounts_periodic.run(timezone.now() + datetime.timedelta(hours=1))
    assert counts["dropped"] == 1
    assert User.objects.filter(is_active=False).count() == 1


def test_the_periodic_step_disables_nobody_while_the_directory_is_down(client, cast, ldap_directory):
    sign_in(client, "zhangwei")
    ldap_directory.stop()
    counts = accounts_periodic.run(timezone.now() + datetime.timedelta(hours=1))
    assert counts == {"rechecked": 0, "dropped": 0, "unavailable": 1}
    assert User.objects.get(username="zhangwei").is_active


def test_a_directory_person_never_takes_over_a_local_account(client, cast):
    response = sign_in(client, "member")  # the directory's `member`, with the directory's password
    assert response.status_code == 200 and signed_in_as(client) is None
    assert refusal(response) == ["directory_clash"]
    clash = AuditEntry.objects.get(action=events.DIRECTORY_CLASH_REFUSED)
    assert clash.target_id == str(cast.member.pk)
    cast.member.refresh_from_db()
    assert cast.member.directory_source == "" and cast.member.has_usable_password()
    assert sign_in(client, "member", "pw-for-tests").status_code == 302  # the local member still can


def test_with_the_directory_down_the_page_says_so_and_local_accounts_still_sign_in(
    client, cast, ldap_directory
):
    sign_in(client, "zhangwei")
    client.logout()
    ldap_directory.stop()
    response = sign_in(client, "zhangwei")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert refusal(response) == ["directory_unavailable"]
    assert sign_in(client, "poster", "pw-for-tests").status_code == 302
    assert signed_in_as(client) == "poster"


def test_the_api_token_endpoint_signs_in_through_the_directory(client, cast, ldap_directory):
    response = client.post("/api/v1/auth/token/", {"username": "zhangwei", "password": "zhangwei-pw"})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "zhangwei" and me.json()["unit"] == "单位A"
    wrong = client.post("/api/v1/auth/token/", {"username": "zhangwei", "password": "nope"})
    assert wrong.status_code == 400
    clash = client.post("/api/v1/auth/token/", {"username": "member", "password": "member-pw"})
    assert clash.status_code == 403 and clash.json()["detail"]
    ldap_directory.stop()
    down = client.post("/api/v1/auth/token/", {"username": "zhangwei", "password": "zhangwei-pw"})
    assert down.status_code == 503 and down["Content-Type"] == "application/json"
    assert down.json()["detail"]
    local = client.post("/api/v1/auth/token/", {"username": "leader1", "password": "pw-for-tests"})
    assert local.status_code == 200


def test_the_login_brake_counts_directory_attempts(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        sign_in(client, "zhangwei", "wrong")
    response = sign_in(client, "zhangwei")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert response.context["form"].has_error("__all__", code="throttled")


def test_a_directory_account_has_no_password_to_change_here(client, cast):
    client.cookies["django_language"] = "en"  # the switcher's choice: pages ignore Accept-Language
    sign_in(client, "zhangwei")
    page = client.get(reverse("accounts:password_change"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "form" not in page.context
    assert b"enterprise directory" in page.content
    refused = client.post(reverse("accounts:password_change"), {"old_password": "x"})
    assert refused.status_code == 400
    user = User.objects.get(username="zhangwei")
    assert not user.has_usable_password()
    # The profile shows the directory's fields without letting them be edited.
    form = client.get(reverse("accounts:profile_edit")).context["form"]
    assert form.fields["job_title"].disabled and not form.fields["birth_year"].disabled


def test_a_local_account_still_changes_its_password(client, cast):
    client.force_login(cast.member)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "old_password" in page.context["form"].fields
