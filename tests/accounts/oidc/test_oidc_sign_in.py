"""Sign-in through the enterprise portal (OpenID Connect), against a real provider
(tests/oidc_provider.py): the account comes from the claims through the directory service, group →
grant mapping, claims refreshed, clash with a local account refused, a provider down or answering
an error, the portal's sign-out, and no token in a log."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from django.utils import translation

from platform_core.accounts.models import PosterGrant, User
from platform_core.audit.models import AuditEntry
from platform_core.orgs.models import Unit

ZHAO = "7f3c-zhao"


@pytest.fixture
def portal_unit(db):
    return Unit.objects.create(name="门户单位", kind=Unit.Kind.ENTERPRISE, region="北京")


@pytest.fixture(autouse=True)
def english(client, settings):
    # The pages speak English when the visitor chose it (the language cookie).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def follow_to_login(client, response) -> list[str]:
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login"), response
    return messages_of(client.get(response["Location"]))


def test_without_oidc_settings_there_is_no_button_and_no_portal_url(client, db):
    assert "/oidc/start/" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get("/oidc/start/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_login_page_shows_the_portal_button(client, oidc_portal):
    page = client.get(reverse("accounts:login") + "?next=/challenges/").content.decode()
    assert "Sign in with the enterprise portal" in page
    assert 'href="/oidc/start/?next=/challenges/"' in page


def test_a_new_person_signs_in_at_the_portal_and_gets_an_account_from_the_claims(
    client, cast, oidc_portal, portal_unit
):
    response = oidc_portal.sign_in(client, ZHAO)
    assert response.status_code == 302 and response["Location"] == reverse("home:index")

    person = User.objects.get(username="zhaolei")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert (person.directory_source, person.directory_id) == (User.Source.OIDC, ZHAO)
    assert (person.display_name, person.first_name, person.last_name) == ("赵磊", "磊", "赵")
    assert (person.email, person.phone, person.job_title) == (
        "zhaolei@corp.example",
        "010-6666 1234",
        "高级工程师",
    )
    assert person.unit == portal_unit
    assert not person.has_usable_password()
    # jbgs-posters → poster for the person's own unit, given by the directory and audited.
    grant = PosterGrant.objects.get(user=person)
    assert (grant.unit, grant.from_directory) == (portal_unit, True)
    actions = set(AuditEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True))
    assert {"directory.account_created", "directory.grant_given"} <= actions


def test_the_next_page_is_kept_through_the_portal(client, cast, oidc_portal, portal_unit):
    response = oidc_portal.sign_in(client, ZHAO, start="/oidc/start/?next=/challenges/")
    assert response["Location"] == "/challenges/"


def test_changed_claims_are_picked_up_at_the_next_sign_in(client, cast, oidc_portal, portal_unit):
    oidc_portal.sign_in(client, ZHAO)
    client.post(reverse("accounts:logout"))
    oidc_portal.set_claims(ZHAO, name="赵磊磊", title="首席工程师", groups=["jbgs-experts-tech"])

    response = oidc_portal.sign_in(client, ZHAO)
    assert response.status_code == 302 and response["Location"] == reverse("home:index")
    person = User.objects.get(directory_id=ZHAO)
    assert (person.display_name, person.job_title) == ("赵磊磊", "首席工程师")
    # The poster grant the directory gave is taken back; the expert one given.
    assert not PosterGrant.objects.filter(user=person).exists()
    assert person.expert_profile.committee == "technical" and person.expert_profile.active
    assert AuditEntry.objects.filter(target_id=str(person.pk), action="directory.grant_taken").exists()
    assert User.objects.filter(directory_id=ZHAO).count() == 1


def test_a_portal_person_cannot_take_over_a_local_account_of_the_same_name(client, cast, oidc_portal):
    response = oidc_portal.sign_in(client, "4b2e-member")
    messages = follow_to_login(client, response)
    assert any("belongs to another account" in message for message in messages), messages
    assert "_auth_user_id" not in client.session
    cast.member.refresh_from_db()
    assert cast.member.directory_source == "" and cast.member.has_usable_password()
    assert AuditEntry.objects.filter(action="directory.clash_refused", target_id=str(cast.member.pk)).exists()


def test_a_local_account_still_signs_in_with_its_password(client, cast, oidc_portal):
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_the_provider_down_at_the_button_gives_a_clear_message(client, cast, oidc_portal):
    oidc_portal.stop()
    response = client.get("/oidc/start/")
    messages = follow_to_login(client, response)
    assert any("enterprise portal cannot be reached" in message for message in messages), messages


def test_the_provider_down_at_the_callback_gives_a_clear_message(client, cast, oidc_portal, portal_unit):
    started = client.get("/oidc/start/")
    callback = oidc_portal.walk(started["Location"], ZHAO)
    oidc_portal.stop()  # between the portal's answer and the platform's token request
    messages = follow_to_login(client, client.get(callback))
    assert any("enterprise portal cannot be reached" in message for message in messages), messages
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(directory_id=ZHAO).exists()


def test_a_provider_answering_an_error_gives_a_clear_message(
    client, cast, oidc_portal, settings, portal_unit
):
    # The person cancelled at the portal: it sends them back with an error.
    started = client.get("/oidc/start/")
    state = started["Location"].split("state=")[1].split("&")[0]
    messages = follow_to_login(client, client.get(f"/oidc/callback/?error=access_denied&state={state}"))
    assert any("did not sign you in" in message for message in messages), messages

    # The provider refuses the platform's token request (a wrong client secret).
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    response = oidc_portal.sign_in(client, ZHAO)
    messages = follow_to_login(client, response)
    assert any("did not sign you in" in message for message in messages), messages
    assert not User.objects.filter(directory_id=ZHAO).exists()


def test_a_forged_callback_is_refused_and_counts_on_the_login_brake(client, cast, oidc_portal, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        messages = follow_to_login(client, client.get("/oidc/callback/?code=forged&state=forged"))
        assert any("did not sign you in" in message for message in messages), messages
    messages = follow_to_login(client, client.get("/oidc/start/"))
    assert any("Too many failed attempts" in message for message in messages), messages


def test_signing_out_ends_the_portal_session_too(client, cast, oidc_portal, portal_unit):
    oidc_portal.sign_in(client, ZHAO)
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    end_session = response["Location"]
    assert end_session.startswith(f"{oidc_portal.issuer}/session/end?")
    assert f"id_token_hint={id_token}" in end_session
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in end_session

    # The portal asks to confirm, then sends the person back to the platform's home page.
    assert oidc_portal.walk(end_session) == "/"
    # Signed out at the portal too: the next sign-in asks for the password again.
    started = client.get("/oidc/start/")
    with pytest.raises(AssertionError, match="asked for a sign-in"):
        oidc_portal.walk(started["Location"], login=None)


def test_without_portal_sign_out_only_the_platform_session_ends(
    client, cast, oidc_portal, settings, portal_unit
):
    settings.OIDC_LOGOUT_AT_PORTAL = False
    oidc_portal.sign_in(client, ZHAO)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("home:index")
    # Still signed in at the portal: the next sign-in goes through without a password.
    assert oidc_portal.sign_in(client, login=None)["Location"] == reverse("home:index")


def test_a_local_account_signs_out_locally(client, cast, oidc_portal):
    client.force_login(cast.member)
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("home:index")


def test_no_token_is_written_to_a_log(client, cast, oidc_portal, portal_unit, caplog):
    caplog.set_level(logging.DEBUG)
    oidc_portal.sign_in(client, ZHAO)
    id_token = client.session["oidc_id_token"]
    client.post(reverse("accounts:logout"))
    settings_secret = "client-secret-for-tests"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert id_token not in logged and id_token.split(".")[2] not in logged
    assert settings_secret not in logged


def test_a_discovery_document_naming_another_issuer_is_not_trusted(client, cast, oidc_portal, settings):
    oidc_portal.apply(
        settings,
        OIDC_DISCOVERY_URL=f"{oidc_portal.issuer}/.well-known/openid-configuration",
        OIDC_ISSUER="https://sso.other.example",
    )
    messages = follow_to_login(client, client.get("/oidc/start/"))
    assert any("enterprise portal cannot be reached" in message for message in messages), messages
