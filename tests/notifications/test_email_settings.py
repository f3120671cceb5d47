"""E-mail settings: the service, the API (/api/v1/me/notification-preferences/) and the page, each
person only ever reading and changing their own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from platform_core.audit.models import AuditEntry
from platform_core.notifications import selectors, services
from platform_core.notifications.events import EMAIL_SETTINGS_CHANGED
from platform_core.notifications.kinds import OTHER, EmailMode, kind_of, registered_kinds
from platform_core.notifications.models import EmailSettings
from tests.cast import ROLES
from tests.conftest import as_user
from tests.notifications.conftest import DIGEST, QUIET, SOON

API = "/api/v1/me/notification-preferences/"


@pytest.fixture(autouse=True)
def _kinds(mail_kinds):
    return mail_kinds


def modes_of(user) -> dict[str, str]:
    return {each.kind.key: each.mode for each in selectors.email_preferences_for(user).settings}


def test_without_settings_every_kind_has_its_default(cast):
    modes = modes_of(cast.member)
    assert modes[SOON] == EmailMode.SOON
    assert modes[DIGEST] == EmailMode.DIGEST
    assert modes[QUIET] == EmailMode.OFF
    assert modes[OTHER] == EmailMode.DIGEST
    assert list(modes)[-1] == OTHER


def test_an_unregistered_kind_follows_the_other_setting(cast):
    row = EmailSettings(user=cast.member, modes={})
    assert selectors.email_mode(row, "never.registered") == EmailMode.DIGEST
    assert kind_of("never.registered").key == OTHER
    row.modes = {OTHER: EmailMode.OFF}
    assert selectors.email_mode(row, "never.registered") == EmailMode.OFF
    assert selectors.email_mode(row, SOON) == EmailMode.SOON


def test_only_what_differs_from_the_defaults_is_stored_and_the_change_audited(cast):
    services.email_settings_update(user=cast.member, modes={SOON: EmailMode.DIGEST, DIGEST: EmailMode.DIGEST})
    row = EmailSettings.objects.get(user=cast.member)
    assert row.modes == {SOON: EmailMode.DIGEST}
    services.email_settings_update(user=cast.member, modes={SOON: EmailMode.SOON}, language="en")
    row.refresh_from_db()
    assert (row.modes, row.language) == ({}, "en")
    entries = AuditEntry.objects.filter(action=EMAIL_SETTINGS_CHANGED, actor=cast.member)
    assert entries.count() == 2


@pytest.mark.parametrize(
    "modes,language",
    [({"no.such.kind": "off"}, None), ({SOON: "weekly"}, None), ([SOON], None), (None, "fr")],
)
def test_unknown_kinds_modes_and_languages_are_refused(cast, modes, language):
    with pytest.raises(ValidationError):
        services.email_settings_update(user=cast.member, modes=modes, language=language)
    assert not EmailSettings.objects.filter(user=cast.member).exists()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_and_changes_only_their_own_settings_through_the_api(cast, role):
    user = getattr(cast, role)
    someone_else = cast.outsider if role != "outsider" else cast.member
    services.email_settings_update(user=someone_else, modes={SOON: EmailMode.OFF}, language="en")
    client = as_user(APIClient(), user)

    with translation.override("en"):
        answer = client.get(API, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    body = answer.json()
    assert body["language"] == "zh-hans"
    kinds = {each["kind"]: each for each in body["kinds"]}
    assert kinds[SOON] == {
        "kind": SOON,
        "label": "Test soon kind",
        "group": "Tests",
        "mode": "soon",
        "default_mode": "soon",
    }
    assert set(kinds) == {kind.key for kind in registered_kinds()}

    changed = client.patch(API, {"modes": {DIGEST: "off"}}, format="json")
    assert changed.status_code == 200
    assert {each["kind"]: each["mode"] for each in changed.json()["kinds"]}[DIGEST] == "off"
    assert EmailSettings.objects.get(user=user).modes == {DIGEST: "off"}
    # The other person's settings are untouched, and nothing names them.
    assert EmailSettings.objects.get(user=someone_else).modes == {SOON: "off"}


def test_the_api_refuses_bad_input_with_a_400_and_anonymous_with_a_403(cast):
    client = as_user(APIClient(), cast.member)
    for body in (
        {"modes": {"no.such.kind": "off"}},
        {"modes": {SOON: "hourly"}},
        {"language": "xx"},
        {"modes": []},
    ):
        assert client.patch(API, body, format="json").status_code == 400, body
    assert not EmailSettings.objects.filter(user=cast.member).exists()
    assert APIClient().get(API).status_code == 403
    assert APIClient().patch(API, {"modes": {SOON: "off"}}, format="json").status_code == 403


def test_the_settings_page_shows_a_labelled_choice_per_kind_and_saves(client, cast):
    client.force_login(cast.member)
    client.cookies["django_language"] = "en"
    url = reverse("notifications:email_settings")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_mode:test.soon">Test soon kind' in html
    assert "<legend>Tests</legend>" in html
    assert "has no e-mail address" in html  # the cast has none

    data = {"language": "en", **{f"mode:{kind.key}": kind.default_email_mode for kind in registered_kinds()}}
    data["mode:test.soon"] = "off"
    answer = client.post(url, data)
    assert answer.status_code == 302
    row = EmailSettings.objects.get(user=cast.member)
    assert (row.modes, row.language) == ({SOON: "off"}, "en")

    data["mode:test.soon"] = "sometimes"
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert EmailSettings.objects.get(user=cast.member).modes == {SOON: "off"}


def test_the_settings_page_needs_a_login(client, db):
    answer = client.get(reverse("notifications:email_settings"))
    assert answer.status_code == 302 and "/login/" in answer["Location"]
