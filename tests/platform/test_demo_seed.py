"""`manage.py seed_demo`: the Chinese demo data, idempotent, with the documented logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client

from platform_core.accounts.models import AdminGrant, ExpertProfile, PosterGrant
from platform_core.notifications.models import Notification
from platform_core.orgs.models import Studio, StudioMembership, Unit
from platform_core.realtime.models import Event

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin",
    "poster",
    "leader1",
    "leader2",
    "member1",
    "member2",
    "member3",
    "member4",
    "expert1",
    "expert2",
]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "units": Unit.objects.count(),
        "studios": Studio.objects.count(),
        "memberships": StudioMembership.objects.count(),
        "notifications": Notification.objects.count(),
        "events": Event.objects.count(),
        "admin_grants": AdminGrant.objects.count(),
        "poster_grants": PosterGrant.objects.count(),
        "experts": ExpertProfile.objects.count(),
    }


@pytest.fixture
def seeded():
    return seed()


def test_seeding_twice_changes_no_numbers(seeded):
    first = counts()
    assert first["users"] > len(DEMO_LOGINS)
    assert first["studios"] >= 10
    assert first["memberships"] > first["studios"]
    assert first["notifications"] >= 5
    seed()
    assert counts() == first


def test_the_demo_logins_exist_and_work_with_the_demo_password(seeded):
    for username in DEMO_LOGINS:
        user = authenticate(username=username, password="demo12345")
        assert user is not None, username
        assert user.username == username
    assert Client().login(username="leader1", password="demo12345")
    assert authenticate(username="leader1", password="wrong") is None


def test_the_demo_prints_its_logins(seeded):
    assert "demo12345" in seeded
    assert "leader1" in seeded


def test_every_studio_type_and_level_occurs(seeded):
    assert set(Studio.objects.values_list("type", flat=True)) == set(Studio.Type.values)
    assert set(Studio.objects.values_list("level", flat=True)) == set(Studio.Level.values)


def test_the_demo_has_a_delisted_studio_with_a_reason_and_leaders_are_members(seeded):
    delisted = Studio.objects.filter(status=Studio.Status.DELISTED)
    assert delisted.exists()
    assert all(studio.delisted_reason for studio in delisted)
    for studio in Studio.objects.all():
        assert StudioMembership.objects.filter(studio=studio, user=studio.leader, role="leader").exists()


def test_demo_roles_are_granted(seeded):
    User = get_user_model()
    assert AdminGrant.objects.filter(user__username="admin").count() == 2
    assert PosterGrant.objects.filter(user__username="poster").exists()
    assert ExpertProfile.objects.filter(user__username__in=["expert1", "expert2"]).count() == 2
    assert not User.objects.get(username="member1").is_staff


def test_reseeding_keeps_a_changed_password(seeded):
    user = get_user_model().objects.get(username="member1")
    user.set_password("my-own-secret-9")
    user.save()
    seed()
    assert authenticate(username="member1", password="my-own-secret-9") is not None


def test_if_empty_does_nothing_on_a_non_empty_database(cast):
    before = counts()
    output = seed("--if-empty")
    assert counts() == before
    assert not get_user_model().objects.filter(username="leader1", email="leader1@example.com").exists()
    assert "skipping" in output


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")
    assert get_user_model().objects.filter(username="member1").exists()
    assert Studio.objects.exists()


def test_a_custom_password_applies_to_new_accounts():
    seed("--password", "another-pw-77")
    assert authenticate(username="expert2", password="another-pw-77") is not None
    assert authenticate(username="expert2", password="demo12345") is None


def test_each_app_brings_its_own_step_run_in_installed_apps_order():
    from django.apps import apps

    from platform_core.demo import demo_steps

    labels = [label for label, _step in demo_steps()]
    assert labels[:2] == ["accounts", "orgs"]  # the people first: every later step uses them
    assert labels == [config.label for config in apps.get_app_configs() if config.label in labels]
