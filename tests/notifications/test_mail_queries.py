"""The mail step's queries do not grow with the number of people: composing is a fixed number of
queries per pass, sending one claim for the batch and one update per mail."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from platform_core.notifications import services
from platform_core.notifications.kinds import EmailMode
from platform_core.notifications.mail import compose_digests, sort_pending
from platform_core.notifications.mailer import send_due_mails
from platform_core.notifications.models import MailState, Notification, OutgoingMail
from tests.notifications.conftest import DIGEST, SOON, next_morning


def _crowd(count: int) -> list:
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"person{index}", email=f"person{index}@example.com") for index in range(count)
    )
    people = list(User.objects.filter(username__startswith="person"))
    for index, person in enumerate(people):
        if index % 3 == 0:
            services.email_settings_update(user=person, modes={SOON: EmailMode.DIGEST})
        services.notify([person], kind=SOON, title=services.verbatim(f"通知{index}"))
        services.notify([person], kind=DIGEST, title=services.verbatim(f"摘要{index}"))
    return people


def test_composing_soon_mails_and_digests_takes_the_same_queries_for_many_people(
    db, mail_kinds, django_assert_max_num_queries
):
    _crowd(60)
    now = timezone.now() + datetime.timedelta(minutes=11)
    with django_assert_max_num_queries(10):
        counts = sort_pending(now)
    assert counts["soon"] == 40
    assert not Notification.objects.filter(mail_state=MailState.PENDING).exists()
    with django_assert_max_num_queries(10):
        assert compose_digests(next_morning()) == 60
    assert OutgoingMail.objects.count() == 100


def test_sending_takes_one_query_per_mail_and_a_few_more(
    db, mail_kinds, django_assert_max_num_queries, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _crowd(30)
    sort_pending(timezone.now() + datetime.timedelta(minutes=11))
    mails = OutgoingMail.objects.count()
    assert mails == 20
    with django_assert_max_num_queries(mails + 6):
        assert send_due_mails(timezone.now())["sent"] == mails
