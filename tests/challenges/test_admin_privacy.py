"""The admin reveals no bidder to staff who are not superusers: reminders, notifications and the
events of a user's own topic are for superusers only, and studios are delisted, never deleted."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.db.models import F
from django.urls import reverse

from challenges.models import Challenge, ReminderSent
from challenges.services.reminders import challenge_send_due_reminders
from platform_core.realtime.models import Event


def _staff(world, *codenames):
    """A union admin over group G with staff access and every challenges permission, not a superuser."""
    staff = world.cast.admin
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="challenges"))
    for codename in codenames:
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return staff


def _leader2_reminded_before_the_deadline(world):
    challenge = world.published(show_bid_count=False)
    world.bid(challenge, "leader2")
    Challenge.objects.filter(pk=challenge.pk).update(
        bidding_deadline=F("bidding_deadline") - datetime.timedelta(days=10) + datetime.timedelta(hours=12)
    )
    challenge_send_due_reminders()
    assert ReminderSent.objects.filter(recipient=world.cast.leader2).exists()
    return challenge


def test_reminders_sent_are_refused_to_staff_who_are_not_superusers(world, client):
    _leader2_reminded_before_the_deadline(world)
    client.force_login(_staff(world))
    row = ReminderSent.objects.filter(recipient=world.cast.leader2).first()
    assert client.get(reverse("admin:challenges_remindersent_changelist")).status_code == 403
    assert client.get(reverse("admin:challenges_remindersent_change", args=[row.pk])).status_code == 403


def test_notifications_are_refused_to_staff_who_are_not_superusers(world, client):
    _leader2_reminded_before_the_deadline(world)
    client.force_login(_staff(world, "view_notification", "change_notification", "delete_notification"))
    page = client.get(reverse("admin:notifications_notification_changelist"), {"q": "leader2"})
    assert page.status_code == 403
    assert "reminder.deadline_24h" not in page.content.decode()


def test_events_of_user_topics_are_hidden_from_staff_who_are_not_superusers(world, client):
    _leader2_reminded_before_the_deadline(world)
    events = Event.objects.filter(topic__name=f"user:{world.cast.leader2.pk}")
    assert events.exists()
    client.force_login(_staff(world, "view_event", "view_topic"))
    listing = client.get(reverse("admin:realtime_event_changelist")).content.decode()
    assert "deadline_24h" not in listing
    for event in events:
        page = client.get(reverse("admin:realtime_event_change", args=[event.pk]), follow=True)
        assert "deadline_24h" not in page.content.decode()
    topics = client.get(reverse("admin:realtime_topic_changelist")).content.decode()
    assert f"user:{world.cast.leader2.pk}" not in topics


def test_superusers_still_read_reminders_notifications_and_user_topic_events(world, client):
    _leader2_reminded_before_the_deadline(world)
    client.force_login(world.cast.superadmin)
    assert client.get(reverse("admin:challenges_remindersent_changelist")).status_code == 200
    notices = client.get(reverse("admin:notifications_notification_changelist"), {"q": "leader2"})
    assert "reminder.deadline_24h" in notices.content.decode()
    event = Event.objects.filter(topic__name=f"user:{world.cast.leader2.pk}").first()
    assert client.get(reverse("admin:realtime_event_change", args=[event.pk])).status_code == 200


def test_the_studio_delete_page_is_refused_so_it_cannot_list_the_studios_bids(world, client):
    world.bid(world.published(show_bid_count=False), "leader2")
    client.force_login(_staff(world, "view_studio", "change_studio", "delete_studio"))
    page = client.get(reverse("admin:orgs_studio_delete", args=[world.cast.studio2.pk]))
    assert page.status_code == 403
    client.force_login(world.cast.superadmin)
    assert client.get(reverse("admin:orgs_studio_delete", args=[world.cast.studio2.pk])).status_code == 403
