"""A forgotten password, reset by e-mail through a real SMTP server (aiosmtpd): the request, the
mail (sent by the periodic step, not the request), the link, the new password; the rate limits;
and no answer that tells whether an address has an account."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platform_core.notifications.mailer import send_due_mails
from platform_core.notifications.models import MailState, Notification, OutgoingMail
from tests.notifications.conftest import site, zh

REQUEST = "/password/reset/"


@pytest.fixture
def local(cast):
    cast.member.email = "member@example.com"
    cast.member.save(update_fields=["email"])
    Notification.objects.update(mail_state=MailState.DONE)
    return cast.member


def ask(client: Client, email: str, ip: str = "10.0.0.1"):
    return client.post(REQUEST, {"email": email}, REMOTE_ADDR=ip)


def send_outbox() -> None:
    """The periodic job's sending (notification mails of the cast aside)."""
    send_due_mails(timezone.now() + datetime.timedelta(seconds=1))


def test_the_login_page_links_to_the_reset(client, db):
    assert f'href="{REQUEST}"' in client.get(reverse("accounts:login")).content.decode()


def test_the_whole_journey_from_request_to_a_new_password(client, local, smtp_server):
    page = client.get(REQUEST)
    assert page.status_code == 200
    answer = ask(client, "MEMBER@example.com")
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset:sent")
    # Nothing was sent by the request: the outbox holds it for the periodic job.
    assert smtp_server.received == []
    assert OutgoingMail.objects.get().to_address == "member@example.com"

    send_outbox()
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["member@example.com"]
    assert mail.subject == zh("[%(site_name)s] Choose a new password") % {"site_name": site()}
    assert "member" in mail.text
    assert "List-Unsubscribe" not in mail.message  # a reset is no newsletter
    [link] = re.findall(r"https://jbgs\.example\.com(/password/reset/[^/\s]+/[^/\s]+/)", mail.text)
    assert link in mail.html

    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and confirm.context["validlink"]
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Fresh-pass-2026!", "new_password2": "Fresh-pass-2026!"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset:complete")
    assert Client().login(username="member", password="Fresh-pass-2026!")
    assert not Client().login(username="member", password="pw-for-tests")

    # The link works once.
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    send_outbox()
    assert len(smtp_server.received) == 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, local, smtp_server):
    known = ask(client, "member@example.com")
    unknown = ask(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    send_outbox()
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["member@example.com"]]


def test_directory_and_inactive_accounts_get_no_mail(client, cast, smtp_server):
    directory = cast.leader1
    directory.email = "leader1@example.com"
    directory.set_unusable_password()
    directory.save()
    inactive = cast.leader2
    inactive.email = "leader2@example.com"
    inactive.is_active = False
    inactive.save()
    for address in ("leader1@example.com", "leader2@example.com"):
        answer = ask(client, address)
        assert answer.status_code == 302 and answer["Location"] == reverse("password_reset:sent")
    send_outbox()
    assert smtp_server.received == []


def test_requests_are_limited_per_address_and_per_client(client, local, smtp_server, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    settings.PASSWORD_RESET_PER_IP = 4
    assert ask(client, "member@example.com", ip="10.0.0.1").status_code == 302
    assert ask(client, "member@example.com", ip="10.0.0.2").status_code == 302
    refused = ask(client, "member@example.com", ip="10.0.0.3")
    assert refused.status_code == 429
    assert 'value="member@example.com"' in refused.content.decode()  # what was typed is kept
    # The limit counts unknown addresses alike, so it tells nothing either.
    assert ask(client, "nobody@example.com", ip="10.0.0.4").status_code == 302
    assert ask(client, "nobody@example.com", ip="10.0.0.4").status_code == 302
    assert ask(client, "nobody@example.com", ip="10.0.0.4").status_code == 429
    # One client trying many addresses.
    for index in range(3):
        ask(client, f"someone{index}@example.com", ip="10.0.0.9")
    assert ask(client, "other@example.com", ip="10.0.0.9").status_code == 302
    assert ask(client, "more@example.com", ip="10.0.0.9").status_code == 429
    send_outbox()
    # The first two for member are a new token each second at most: one or two mails, never three.
    assert 1 <= len(smtp_server.to("member@example.com")) <= 2


def test_a_bad_address_is_refused_with_the_form_again(client, db):
    answer = ask(client, "not an address")
    assert answer.status_code == 400
    assert 'value="not an address"' in answer.content.decode()
