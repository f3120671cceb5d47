from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_username_for_that_address(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert attempt(client, "member", "wrong").status_code == 200
    response = attempt(client, "member", "pw-for-tests")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].has_error("__all__", code="throttled")


def test_other_usernames_are_not_locked_and_a_good_password_works(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        attempt(client, "member", "wrong")
    response = attempt(client, "leader1", "pw-for-tests")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.leader1.pk)


def test_failures_below_the_limit_do_not_lock(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    attempt(client, "member", "wrong")
    attempt(client, "member", "wrong")
    assert attempt(client, "member", "pw-for-tests").status_code == 302


def test_the_api_token_endpoint_has_the_same_brake(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        response = client.post("/api/v1/auth/token/", {"username": "member", "password": "wrong"})
        assert response.status_code == 400
    response = client.post("/api/v1/auth/token/", {"username": "member", "password": "pw-for-tests"})
    assert response.status_code == 429
    other = client.post("/api/v1/auth/token/", {"username": "leader1", "password": "pw-for-tests"})
    assert other.status_code == 200 and other.json()["token"]


def test_the_admin_login_has_the_same_brake(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": "superadmin", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "superadmin", "password": "pw-for-tests"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Spellings that authentication treats as "member": full-width letters and digits are NFKC-equal,
# and the brake also folds case.
LOOK_ALIKES = ["ｍember", "ｍｅｍｂｅｒ", "Ｍember", "MEMBER", " ｍｅｍｂｅｒ "]


@pytest.mark.parametrize("variant", LOOK_ALIKES)
def test_a_look_alike_spelling_of_a_locked_username_is_locked_too(client, cast, settings, variant):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        attempt(client, "member", "wrong")
    response = attempt(client, variant, "pw-for-tests")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].has_error("__all__", code="throttled")


def test_failures_under_different_spellings_add_up(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for spelling in ["ｍember", "memｂer", "Member"]:
        attempt(client, spelling, "wrong")
    assert "_auth_user_id" not in client.session
    assert attempt(client, "member", "pw-for-tests").context["form"].has_error("__all__", code="throttled")


def test_the_admin_login_and_the_token_endpoint_share_the_normalised_count(client, cast, settings):
    settings.LOGIN_MAX_FAILURES = 2
    client.post("/admin/login/", {"username": "ｓuperadmin", "password": "wrong"})
    client.post("/api/v1/auth/token/", {"username": "superadmin", "password": "wrong"})
    response = client.post("/api/v1/auth/token/", {"username": "superadmin", "password": "pw-for-tests"})
    assert response.status_code == 429


# --- without the cache: Redis down -------------------------------------------------------------


def test_login_works_while_the_cache_is_unreachable(client, cast, unreachable_cache):
    response = attempt(client, "member", "pw-for-tests")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_the_brake_still_holds_in_process_memory_while_the_cache_is_unreachable(
    client, cast, settings, unreachable_cache
):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert attempt(client, "member", "wrong").status_code == 200
    response = attempt(client, "member", "pw-for-tests")
    assert response.context["form"].has_error("__all__", code="throttled")
    assert "_auth_user_id" not in client.session


def test_the_api_and_its_token_endpoint_answer_while_the_cache_is_unreachable(
    client, cast, unreachable_cache
):
    response = client.post("/api/v1/auth/token/", {"username": "member", "password": "pw-for-tests"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert (
        client.post("/admin/login/", {"username": "superadmin", "password": "pw-for-tests"}).status_code
        == 302
    )
