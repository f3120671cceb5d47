"""Notification mails against a real SMTP server (aiosmtpd, tests/mailserver.py): what is sent, to
whom, exactly once; soon mails dropped when read first; the daily digest; the server down and back."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from platform_core.notifications import periodic, services
from platform_core.notifications.kinds import EmailMode
from platform_core.notifications.mail import compose_due_mails
from platform_core.notifications.mailer import claim_due
from platform_core.notifications.models import EmailSettings, MailState, Notification, OutgoingMail
from platform_core.notifications.unsubscribe import read_unsubscribe_token
from tests.notifications.conftest import DIGEST, QUIET, SOON, later, next_morning, site, zh


@pytest.fixture(autouse=True)
def _kinds(mail_kinds):
    return mail_kinds


@pytest.fixture
def people(cast):
    for user in (cast.member, cast.leader1, cast.leader2):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    # What the cast's making notified (studios named) is not what these tests look at.
    Notification.objects.update(mail_state=MailState.DONE)
    return cast


def tell(user, title: str, *, kind: str = SOON, body: str = "", url: str = "/challenges/") -> Notification:
    return services.notification_create(
        recipient=user, kind=kind, title=services.verbatim(title), body=services.verbatim(body), url=url
    )


def test_a_soon_notification_is_mailed_once_after_the_delay_in_chinese(people, smtp_server):
    tell(people.member, "李四在“焊接攻关”里提到了你", body="请看一下第三步。", url="/rooms/7/")
    assert periodic.run(later(1))["sent"] == 0  # still within the delay
    assert smtp_server.received == []

    counts = periodic.run(later(11))
    assert counts["sent"] == 1
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["member@example.com"]
    assert mail.mail_from == "noreply@jbgs.example.com"
    assert mail.subject == zh("[%(site)s] %(title)s") % {
        "site": site(),
        "title": "李四在“焊接攻关”里提到了你",
    }
    assert "请看一下第三步。" in mail.text and "请看一下第三步。" in mail.html
    assert "https://jbgs.example.com/rooms/7/" in mail.text
    assert 'href="https://jbgs.example.com/rooms/7/"' in mail.html
    assert mail.message["Auto-Submitted"] == "auto-generated"

    # Further passes send nothing more.
    periodic.run(later(12))
    periodic.run(later(60))
    assert len(smtp_server.received) == 1
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENT


def test_a_soon_notification_read_before_the_delay_is_not_mailed(people, smtp_server):
    notification = tell(people.member, "已读的通知")
    services.notification_mark_read(user=people.member, notification_id=notification.pk)
    periodic.run(later(11))
    assert smtp_server.received == []
    notification.refresh_from_db()
    assert notification.mail_state == MailState.DONE


def test_several_soon_notifications_of_one_person_go_in_one_mail(people, smtp_server):
    tell(people.member, "第一条")
    tell(people.member, "第二条")
    tell(people.leader1, "给组长的")
    periodic.run(later(11))
    [to_member] = smtp_server.to("member@example.com")
    assert to_member.subject == zh(
        "[%(site)s] %(count)d new notification", "[%(site)s] %(count)d new notifications", 2
    ) % {"site": site(), "count": 2}
    assert "第一条" in to_member.text and "第二条" in to_member.text
    assert "给组长的" not in to_member.text
    [to_leader] = smtp_server.to("leader1@example.com")
    assert "给组长的" in to_leader.subject


def test_a_kind_off_by_default_or_by_choice_is_never_mailed(people, smtp_server):
    tell(people.member, "安静的", kind=QUIET)
    services.email_settings_update(user=people.leader1, modes={SOON: EmailMode.OFF})
    tell(people.leader1, "关掉了的")
    periodic.run(later(11))
    periodic.run(next_morning())
    assert smtp_server.received == []


def test_people_without_an_address_or_inactive_are_skipped(people, smtp_server):
    people.leader2.is_active = False
    people.leader2.save(update_fields=["is_active"])
    tell(people.leader2, "停用的")
    tell(people.outsider, "没有邮箱的")  # the cast has no addresses but those given above
    periodic.run(later(11))
    periodic.run(next_morning())
    assert smtp_server.received == []
    assert not Notification.objects.exclude(mail_state=MailState.DONE).exists()


def test_the_daily_digest_holds_what_is_still_unread_once_a_day(people, smtp_server):
    first = tell(people.member, "摘要一", kind=DIGEST, body="正文一")
    read = tell(people.member, "摘要二（已读）", kind=DIGEST)
    tell(people.member, "摘要三", kind=DIGEST)
    services.notification_mark_read(user=people.member, notification_id=read.pk)

    morning = next_morning()
    periodic.run(morning - datetime.timedelta(hours=3))  # 06:00: sorted, not sent before its hour
    assert smtp_server.received == []
    first.refresh_from_db()
    assert first.mail_state == MailState.DIGEST
    periodic.run(morning - datetime.timedelta(hours=2))
    assert smtp_server.received == []
    periodic.run(morning)
    [digest] = smtp_server.received
    assert digest.subject == zh(
        "[%(site)s] Daily digest: %(count)d unread notification",
        "[%(site)s] Daily digest: %(count)d unread notifications",
        2,
    ) % {"site": site(), "count": 2}
    assert "摘要一" in digest.text and "正文一" in digest.text and "摘要三" in digest.text
    assert "摘要二" not in digest.text
    assert "摘要一" in digest.html

    # A notification arriving after today's digest waits for tomorrow's.
    tell(people.member, "晚到的", kind=DIGEST)
    periodic.run(morning + datetime.timedelta(hours=1))
    assert len(smtp_server.received) == 1
    periodic.run(morning + datetime.timedelta(days=1))
    assert len(smtp_server.received) == 2
    assert "晚到的" in smtp_server.received[1].text


def test_mails_follow_the_language_the_person_chose(people, smtp_server):
    services.email_settings_update(user=people.member, language="en")
    with translation.override("en"):
        services.notify(
            [people.member],
            kind=SOON,
            title=lambda: translation.gettext("Log in"),  # any translated string will do
        )
    periodic.run(later(11))
    [mail] = smtp_server.received
    assert mail.subject == "[Open Challenge Platform] Log in"
    assert "this happened on the platform" in mail.text


def test_the_server_down_means_a_later_attempt_and_the_mail_sent_once(people, smtp_server, settings):
    settings.MAIL_RETRY_SECONDS = 60
    tell(people.member, "服务器宕机时的通知")
    smtp_server.stop()
    now = later(11)
    counts = periodic.run(now)
    assert counts["retried"] == 1
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.PENDING, 1)
    assert mail.next_attempt_at == now + datetime.timedelta(seconds=60)
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()

    smtp_server.start()
    periodic.run(now + datetime.timedelta(seconds=30))  # not due yet
    assert smtp_server.received == []
    periodic.run(now + datetime.timedelta(seconds=61))
    periodic.run(now + datetime.timedelta(minutes=5))
    assert len(smtp_server.received) == 1
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.last_error) == (OutgoingMail.State.SENT, 2, "")


def test_retries_back_off_and_give_up_after_the_last_attempt(people, smtp_server, settings):
    settings.MAIL_RETRY_SECONDS = 60
    settings.MAIL_MAX_ATTEMPTS = 3
    tell(people.member, "一直发不出去")
    smtp_server.stop()
    now = later(11)
    periodic.run(now)
    mail = OutgoingMail.objects.get()
    waits = []
    for _attempt in range(2):
        waits.append(mail.next_attempt_at - now)
        now = mail.next_attempt_at
        periodic.run(now)
        mail.refresh_from_db()
    assert waits == [datetime.timedelta(seconds=60), datetime.timedelta(seconds=120)]
    assert (mail.state, mail.attempts) == (OutgoingMail.State.FAILED, 3)


def test_a_mail_left_sending_by_a_dead_runner_is_sent_after_its_lease(people, smtp_server, settings):
    tell(people.member, "发送中断")
    now = later(11)
    compose_due_mails(now)
    [_claimed] = claim_due(now, 10)  # the runner died after claiming (or after the server accepted)
    periodic.run(now + datetime.timedelta(minutes=1))
    assert smtp_server.received == []  # still within its lease
    periodic.run(now + datetime.timedelta(minutes=settings.MAIL_SENDING_LEASE_MINUTES + 1))
    assert len(smtp_server.received) == 1


def _unsubscribe_link(text: str) -> str:
    links = re.findall(r"https://jbgs\.example\.com(/notifications/unsubscribe/[^/\s]+/)", text)
    assert links
    return links[-1]


def test_every_mail_carries_a_one_click_unsubscribe(people, smtp_server):
    tell(people.member, "可退订的")
    periodic.run(later(11))
    [mail] = smtp_server.received
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(mail.message["List-Unsubscribe"]).strip()
    assert header.startswith("<https://jbgs.example.com/notifications/unsubscribe/") and header.endswith(">")
    path = header[len("<https://jbgs.example.com") : -1]
    assert read_unsubscribe_token(path.split("/")[-2]) == (people.member.pk, [SOON])
    # The same, per kind, in the text and the HTML of the mail.
    for body in (mail.text, mail.html):
        assert read_unsubscribe_token(_unsubscribe_link(body).split("/")[-2]) == (people.member.pk, [SOON])

    # A GET shows what would happen and changes nothing.
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Test soon kind" in page.content.decode()
    assert "member@example.com" in page.content.decode()
    assert not EmailSettings.objects.filter(user=people.member).exists()
    # The mail client's RFC 8058 POST: no session, no CSRF token.
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    assert EmailSettings.objects.get(user=people.member).modes == {SOON: EmailMode.OFF}

    tell(people.member, "退订之后的")
    periodic.run(later(30))
    assert len(smtp_server.received) == 1


def test_a_forged_or_altered_unsubscribe_link_is_not_found(people):
    forged = signing.dumps({"u": people.member.pk, "k": [SOON]}, salt="another.salt")
    for token in (forged, "nonsense", forged[:-2] + "xx"):
        url = reverse("notifications:unsubscribe", args=[token])
        assert Client().get(url).status_code == 404
        assert Client().post(url).status_code == 404
    assert not EmailSettings.objects.filter(user=people.member).exists()


def test_an_unregistered_kind_goes_by_the_digest_and_is_stopped_by_the_other_setting(people, smtp_server):
    tell(people.member, "新功能的通知", kind="another.helpers.new_kind")
    periodic.run(next_morning(6))  # before the digest hour
    assert smtp_server.received == []
    periodic.run(next_morning())
    [digest] = smtp_server.received
    assert "新功能的通知" in digest.text
    path = _unsubscribe_link(digest.text)
    assert read_unsubscribe_token(path.split("/")[-2]) == (people.member.pk, ["other"])
    assert Client().post(path).status_code == 200
    assert EmailSettings.objects.get(user=people.member).modes == {"other": EmailMode.OFF}


def test_an_address_the_server_refuses_for_good_fails_at_once_and_the_others_go(people, smtp_server):
    smtp_server.refuse("member@example.com")
    tell(people.member, "退信")
    tell(people.leader1, "正常")
    counts = periodic.run(later(11))
    assert (counts["failed"], counts["sent"]) == (1, 1)
    refused = OutgoingMail.objects.get(to_address="member@example.com")
    assert refused.state == OutgoingMail.State.FAILED and "550" in refused.last_error
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["leader1@example.com"]]
    periodic.run(later(60))
    assert len(smtp_server.received) == 1
