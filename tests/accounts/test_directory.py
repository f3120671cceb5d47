"""The directory service alone (platform_core/accounts/directory.py), whatever the directory: an
identity in, an account out. The LDAP path against a real slapd is in test_directory_ldap.py."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from platform_core.accounts import events
from platform_core.accounts.directory import (
    DirectoryIdentity,
    DirectoryRefusal,
    DirectoryUnavailable,
    directory_drop,
    directory_recheck,
    directory_sign_in,
    grant_table,
)
from platform_core.accounts.models import AdminGrant, ExpertProfile, PosterGrant, User
from platform_core.audit.models import AuditEntry

GRANTS = {
    "jbgs-posters": [{"grant": "poster"}],
    "JBGS-Experts-Tech": [{"grant": "expert", "committee": "technical"}],
    "jbgs-experts-advisory": [{"grant": "expert", "committee": "advisory"}],
    "jbgs-admins-g": [{"grant": "admin", "group": "集团G", "level": "group"}],
    "jbgs-posters-c": [{"grant": "poster", "unit": "单位C"}],
}

ZHANG = DirectoryIdentity(
    source=User.Source.LDAP,
    external_id="5f0c2a4e-0000-4000-8000-000000000001",
    username="ZhangWei",
    first_name="伟",
    last_name="张",
    display_name="张伟",
    email="zhangwei@corp.example",
    unit_name="单位A",
    unit_code="U-A",
    job_title="网络优化工程师",
    phone="010-8888 1234",
    groups=frozenset({"jbgs-posters", "jbgs-experts-tech"}),
)


@pytest.fixture(autouse=True)
def grant_settings(settings):
    settings.DIRECTORY_GROUP_GRANTS = GRANTS
    settings.DIRECTORY_UNIT_MAP = {}


def actions(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="accounts.user", target_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_first_sign_in_creates_the_account_with_its_profile_and_no_password(cast):
    user = directory_sign_in(ZHANG, ip_address="10.1.2.3")
    assert (user.username, user.display_name, user.first_name, user.last_name) == (
        "zhangwei",
        "张伟",
        "伟",
        "张",
    )
    assert (user.email, user.job_title, user.phone, user.unit) == (
        "zhangwei@corp.example",
        "网络优化工程师",
        "010-8888 1234",
        cast.unit_a,
    )
    assert (user.directory_source, user.directory_id) == ("ldap", ZHANG.external_id)
    assert user.is_active and not user.has_usable_password() and user.directory_seen_at is not None
    assert actions(user)[:2] == [events.DIRECTORY_ACCOUNT_CREATED, events.DIRECTORY_PROFILE_REFRESHED]
    created = AuditEntry.objects.get(action=events.DIRECTORY_ACCOUNT_CREATED)
    assert created.actor is None and created.ip_address == "10.1.2.3"


def test_the_next_sign_in_refreshes_the_profile_and_follows_a_renamed_person(cast):
    user = directory_sign_in(ZHANG)
    moved = dataclasses.replace(ZHANG, username="zhangwei2", unit_name="单位B", job_title="主任", phone="")
    again = directory_sign_in(moved)
    assert again.pk == user.pk
    user.refresh_from_db()
    assert (user.username, user.unit, user.job_title, user.phone) == ("zhangwei2", cast.unit_b, "主任", "")
    refreshed = AuditEntry.objects.filter(action=events.DIRECTORY_PROFILE_REFRESHED).first()  # newest
    assert refreshed.data["fields"] == ["job_title", "phone", "unit", "username"]


def test_a_sign_in_with_nothing_changed_writes_no_audit_entry(cast):
    directory_sign_in(ZHANG)
    before = AuditEntry.objects.count()
    directory_sign_in(ZHANG)
    assert AuditEntry.objects.count() == before


def test_an_unknown_unit_leaves_the_unit_and_the_unit_map_translates(cast, settings):
    user = directory_sign_in(dataclasses.replace(ZHANG, unit_name="外部单位", unit_code="X-9"))
    assert user.unit is None
    settings.DIRECTORY_UNIT_MAP = {"X-9": "单位C"}
    user = directory_sign_in(dataclasses.replace(ZHANG, unit_name="外部单位", unit_code="X-9"))
    assert user.unit == cast.unit_c


def test_text_is_cleaned_and_an_invalid_email_or_phone_is_dropped(cast):
    user = directory_sign_in(
        dataclasses.replace(ZHANG, display_name="张\u202e伟", email="not an address", phone="call me")
    )
    assert (user.display_name, user.email, user.phone) == ("张伟", "", "")


@pytest.mark.parametrize("holder", ["member", "other directory person"])
def test_a_directory_person_never_takes_over_another_account(cast, holder):
    if holder == "other directory person":
        directory_sign_in(dataclasses.replace(ZHANG, external_id="someone-else", username="member2"))
        name = "member2"
    else:
        name = "member"
    with pytest.raises(DirectoryRefusal) as refused:
        directory_sign_in(dataclasses.replace(ZHANG, username=name.upper()))
    assert refused.value.code == "clash"
    assert not User.objects.filter(directory_id=ZHANG.external_id).exists()
    clash = AuditEntry.objects.get(action=events.DIRECTORY_CLASH_REFUSED)
    assert clash.target_repr and clash.data["external_id"] == ZHANG.external_id
    assert Client().login(username="member", password="pw-for-tests")


def test_a_rename_onto_a_taken_username_is_refused_and_the_account_stays(cast):
    user = directory_sign_in(ZHANG)
    with pytest.raises(DirectoryRefusal):
        directory_sign_in(dataclasses.replace(ZHANG, username="leader1"))
    user.refresh_from_db()
    assert user.username == "zhangwei"


def test_groups_become_grants_marked_as_the_directorys_and_audited(cast):
    user = directory_sign_in(dataclasses.replace(ZHANG, groups=frozenset({*ZHANG.groups, "jbgs-admins-g"})))
    assert PosterGrant.objects.get(user=user).unit == cast.unit_a
    assert PosterGrant.objects.get(user=user).from_directory
    profile = ExpertProfile.objects.get(user=user)
    assert (profile.committee, profile.active, profile.from_directory) == ("technical", True, True)
    admin = AdminGrant.objects.get(user=user)
    assert (admin.group, admin.level, admin.from_directory) == (cast.group_g, "group", True)
    given = AuditEntry.objects.filter(action=events.DIRECTORY_GRANT_GIVEN)
    assert sorted(entry.data["grant"] for entry in given) == ["admin", "expert", "poster"]


def test_the_directory_takes_back_only_what_it_gave(cast):
    user = directory_sign_in(dataclasses.replace(ZHANG, groups=frozenset({*ZHANG.groups, "jbgs-admins-g"})))
    by_hand = PosterGrant.objects.create(user=user, unit=cast.unit_c)
    AdminGrant.objects.create(user=user, region="上海", level="provincial")
    directory_sign_in(dataclasses.replace(ZHANG, groups=frozenset()))
    assert list(PosterGrant.objects.filter(user=user)) == [by_hand]
    assert list(AdminGrant.objects.filter(user=user).values_list("region", flat=True)) == ["上海"]
    assert not ExpertProfile.objects.get(user=user).active
    taken = AuditEntry.objects.filter(action=events.DIRECTORY_GRANT_TAKEN)
    assert sorted(entry.data["grant"] for entry in taken) == ["admin", "expert", "poster"]
    # Given again when the groups come back.
    directory_sign_in(ZHANG)
    assert ExpertProfile.objects.get(user=user).active
    assert PosterGrant.objects.filter(user=user, from_directory=True, unit=cast.unit_a).exists()


def test_a_grant_made_by_hand_is_neither_taken_nor_turned_into_a_directory_one(cast):
    # `expert` has a hand-made technical profile and a hand-made poster grant for unit A.
    PosterGrant.objects.create(user=cast.expert, unit=cast.unit_a)
    cast.expert.directory_source, cast.expert.directory_id = "ldap", "expert-id"
    cast.expert.set_unusable_password()
    cast.expert.save()
    identity = dataclasses.replace(
        ZHANG, external_id="expert-id", username="expert", groups=frozenset({"jbgs-experts-advisory"})
    )
    directory_sign_in(identity)
    profile = ExpertProfile.objects.get(user=cast.expert)
    assert (profile.committee, profile.from_directory) == ("technical", False)
    directory_sign_in(dataclasses.replace(identity, groups=frozenset()))
    assert ExpertProfile.objects.get(user=cast.expert).active
    assert PosterGrant.objects.filter(user=cast.expert, from_directory=False).count() == 1


def test_a_committee_change_in_the_directory_moves_the_expert(cast):
    user = directory_sign_in(ZHANG)
    directory_sign_in(dataclasses.replace(ZHANG, groups=frozenset({"jbgs-experts-advisory"})))
    profile = ExpertProfile.objects.get(user=user)
    assert (profile.committee, profile.active) == ("advisory", True)


def test_a_named_poster_unit_and_a_missing_one(cast, settings):
    settings.DIRECTORY_GROUP_GRANTS = {**GRANTS, "ghost": [{"grant": "poster", "unit": "不存在的单位"}]}
    user = directory_sign_in(dataclasses.replace(ZHANG, groups=frozenset({"jbgs-posters-c", "ghost"})))
    assert list(PosterGrant.objects.filter(user=user).values_list("unit__name", flat=True)) == ["单位C"]


def test_a_dropped_account_is_disabled_and_comes_back_at_its_next_sign_in(
    cast, django_capture_on_commit_callbacks
):
    user = directory_sign_in(ZHANG)
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert directory_drop(user)
    user.refresh_from_db()
    assert not user.is_active and user.directory_dropped_at is not None
    assert client.get("/profile/").status_code == 302  # the session ended
    assert not directory_drop(user)
    again = directory_sign_in(ZHANG)
    assert again.is_active and again.directory_dropped_at is None
    assert actions(user).count(events.DIRECTORY_ACCOUNT_RESTORED) == 1


def test_an_account_disabled_by_hand_stays_disabled(cast):
    user = directory_sign_in(ZHANG)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(DirectoryRefusal) as refused:
        directory_sign_in(ZHANG)
    assert refused.value.code == "inactive"


def test_the_recheck_drops_the_gone_refreshes_the_rest_and_stops_when_the_directory_is_down(cast):
    zhang = directory_sign_in(ZHANG)
    li = directory_sign_in(dataclasses.replace(ZHANG, external_id="li", username="lina", groups=frozenset()))
    wang = directory_sign_in(
        dataclasses.replace(ZHANG, external_id="wang", username="wangwu", groups=frozenset())
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    directory = {"zhangwei": dataclasses.replace(ZHANG, job_title="总工"), "wangwu": None}

    def lookup(user):
        if user.username == "lina":
            # Someone else now holds the name: the person behind the account is gone.
            return dataclasses.replace(ZHANG, external_id="another", username="lina")
        return directory[user.username]

    counts = directory_recheck(source="ldap", lookup=lookup, now=later, every_seconds=300, limit=10)
    assert counts == {"rechecked": 1, "dropped": 2, "unavailable": 0}
    zhang.refresh_from_db()
    assert zhang.job_title == "总工" and zhang.is_active and zhang.directory_seen_at == later
    assert not User.objects.get(pk=li.pk).is_active and not User.objects.get(pk=wang.pk).is_active
    # Seen just now: not asked again within the interval.
    assert (
        directory_recheck(source="ldap", lookup=lookup, now=later, every_seconds=300, limit=10)["rechecked"]
        == 0
    )

    def down(user):
        raise DirectoryUnavailable(user.username)

    counts = directory_recheck(
        source="ldap", lookup=down, now=later + datetime.timedelta(hours=1), every_seconds=300, limit=10
    )
    assert counts == {"rechecked": 0, "dropped": 0, "unavailable": 1}
    assert User.objects.get(pk=zhang.pk).is_active


def test_the_recheck_leaves_local_accounts_and_other_sources_alone(cast):
    directory_sign_in(dataclasses.replace(ZHANG, source=User.Source.OIDC))
    counts = directory_recheck(
        source="ldap", lookup=lambda user: None, now=timezone.now(), every_seconds=0, limit=10
    )
    assert counts["dropped"] == 0
    assert User.objects.filter(is_active=False).count() == 0


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"g": {"grant": "poster"}},
        {"g": [{"grant": "owner"}]},
        {"g": [{"grant": "expert", "committee": "finance"}]},
        {"g": [{"grant": "admin"}]},
        {"g": [{"grant": "admin", "group": "集团G", "level": "galactic"}]},
        {"g": [{"grant": "poster", "unit": "单位A", "extra": 1}]},
    ],
)
def test_a_malformed_grant_table_is_refused_with_its_reason(raw):
    with pytest.raises(ImproperlyConfigured):
        grant_table(raw)


def test_the_grant_table_folds_case():
    assert set(grant_table(GRANTS)) == {
        "jbgs-posters",
        "jbgs-experts-tech",
        "jbgs-experts-advisory",
        "jbgs-admins-g",
        "jbgs-posters-c",
    }


def test_a_broken_grant_table_is_reported_by_check_and_refuses_sign_ins(cast, settings):
    from platform_core.accounts.directory import check_grant_table

    assert check_grant_table() == []
    settings.DIRECTORY_GROUP_GRANTS = {"jbgs-posters": [{"grant": "owner"}]}
    assert [error.id for error in check_grant_table()] == ["accounts.E001"]
    with pytest.raises(DirectoryRefusal) as refused:
        directory_sign_in(ZHANG)
    assert refused.value.code == "misconfigured"
    assert not User.objects.filter(username="zhangwei").exists()


def test_without_a_directory_only_local_accounts_sign_in_and_the_step_does_nothing(client, cast):
    from django.conf import settings as django_settings

    from platform_core.accounts import periodic

    assert django_settings.AUTHENTICATION_BACKENDS == ["django.contrib.auth.backends.ModelBackend"]
    assert b"enterprise account" not in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content
    assert periodic.run(timezone.now()) == {}
    assert client.post("/login/", {"username": "member", "password": "pw-for-tests"}).status_code == 302


def test_the_ldap_settings_come_from_the_environment(tmp_path):
    ldap = pytest.importorskip("ldap")
    from platform_core.accounts.ldap_config import ldap_settings

    password = tmp_path / "password"
    password.write_text("s3cret\n", encoding="utf-8")
    base = {"LDAP_SERVER_URI": "ldap://dc1", "LDAP_USER_SEARCH_BASE": "ou=people,dc=x"}
    values = ldap_settings(
        {
            **base,
            "LDAP_BIND_PASSWORD_FILE": str(password),
            "LDAP_START_TLS": "yes",
            "LDAP_CA_FILE": "/etc/jbgs/ca.pem",
            "LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=x",
            "LDAP_GROUP_TYPE": "nestedActiveDirectory",
            "LDAP_ATTR_ID": "objectGUID",
        }
    )
    assert values["AUTH_LDAP_BIND_PASSWORD"] == "s3cret" and values["AUTH_LDAP_START_TLS"]
    options = values["AUTH_LDAP_CONNECTION_OPTIONS"]
    assert options[ldap.OPT_X_TLS_CACERTFILE] == "/etc/jbgs/ca.pem"
    assert list(options)[-1] == ldap.OPT_X_TLS_NEWCTX  # last: the TLS options above take effect
    assert type(values["AUTH_LDAP_GROUP_TYPE"]).__name__ == "NestedActiveDirectoryGroupType"
    assert values["AUTH_LDAP_USER_SEARCH"].attrlist == ["*", "objectGUID"]
    assert not ldap_settings(base)["AUTH_LDAP_START_TLS"]
    for broken in (
        {},
        {**base, "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_GROUP_TYPE": "x"},
        {**base, "LDAP_TIMEOUT": "soon"},
    ):
        with pytest.raises(ImproperlyConfigured):
            ldap_settings(broken)
