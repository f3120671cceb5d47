"""A relative time reads as one: "1 minute ago" ("1 分钟前"), not a bare duration."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from platform_core.notifications.models import Notification
from platform_core.notifications.services import notification_create


def test_the_home_page_says_how_long_ago_a_notification_came(client, cast):
    notification = notification_create(recipient=cast.member, kind="test", title=lambda: "有新的答复")
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1, seconds=5)
    )
    client.cookies["django_language"] = "en"
    client.force_login(cast.member)
    html = client.get(reverse("home:index")).content.decode()
    assert re.search(r"<time[^>]*>1\xa0minute ago</time>", html), html
