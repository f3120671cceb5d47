"""Comments: threads of one level, @mentions and the author told, the live post topic."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.exchange import events, permissions, selectors, services
from alliances.exchange.models import Comment, Post, Status
from alliances.exchange.topics import authorize_post_topic
from platform_core.notifications.models import Notification
from platform_core.realtime.registry import TopicNotFound
from platform_core.realtime.testing import capture_events
from tests.cast import ROLES
from tests.exchange.world import HELD_WORD

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_comment_tells_the_author_and_goes_live_on_the_post_topic(cast, world):
    Notification.objects.all().delete()
    with capture_events() as captured:
        comment = services.comment_create(actor=cast.outsider, post=world.post, body="学到了 **很多**")
    live = captured.on(world.post.topic)
    assert [event.name for event in live] == [events.COMMENT_ADDED]
    assert live[0].data["id"] == comment.pk and live[0].data["body"] == "学到了 **很多**"
    assert "<strong>很多</strong>" in live[0].data["html"]
    assert _kinds(cast.member) == [events.NOTIFY_COMMENT]
    assert Post.objects.get(pk=world.post.pk).comment_count == 3


def test_mentions_and_replies_tell_each_person_once_never_the_writer(cast, world):
    Notification.objects.all().delete()
    services.comment_create(
        actor=cast.outsider,
        post=world.post,
        body="@leader2 @member @outsider @nobody 说得对",
        parent=world.comment,
    )
    assert _kinds(cast.member) == [events.NOTIFY_COMMENT]  # the author, once, though mentioned
    assert _kinds(cast.leader2) == [events.NOTIFY_REPLY]  # replied to, once, though mentioned
    assert _kinds(cast.outsider) == []


def test_a_mention_tells_someone_not_otherwise_involved(cast, world):
    Notification.objects.all().delete()
    services.comment_create(actor=cast.outsider, post=world.post, body="请 @expert 看看")
    assert _kinds(cast.expert) == [events.NOTIFY_MENTION]


def test_replies_stay_one_level_deep(cast, world):
    deeper = services.comment_create(actor=cast.outsider, post=world.post, body="再回复", parent=world.reply)
    assert deeper.parent_id == world.comment.pk
    threads = selectors.comments_for(cast.outsider, world.post)
    assert [thread.comment.comment.pk for thread in threads] == [world.comment.pk]
    assert [reply.comment.pk for reply in threads[0].replies] == [world.reply.pk, deeper.pk]


def test_a_reply_to_another_posts_comment_is_refused(cast, world):
    other = services.post_create(actor=cast.leader1, title="另一篇", body="正文")
    with pytest.raises(ValidationError):
        services.comment_create(actor=cast.outsider, post=other, body="x", parent=world.comment)


def test_comments_need_an_account(cast, world):
    assert selectors.comments_for(AnonymousUser(), world.post) == []
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=AnonymousUser(), post=world.post, body="匿名")


def test_a_held_comment_waits_unseen_and_is_published_on_approval(cast, world):
    Notification.objects.all().delete()
    with capture_events() as captured:
        held = services.comment_create(actor=cast.outsider, post=world.post, body=f"{HELD_WORD}吗")
    assert held.status == Status.PENDING and captured.on(world.post.topic) == []
    assert _kinds(cast.member) == []
    seen_by = {
        role
        for role in ROLES
        if any(
            entry.comment.pk == held.pk
            for thread in selectors.comments_for(getattr(cast, role), world.post)
            for entry in [thread.comment, *thread.replies]
        )
    }
    assert seen_by == {"outsider", "admin", "superadmin"}
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=cast.admin2, comment=held, action="approve")
    with capture_events() as captured:
        services.comment_moderate(actor=cast.admin, comment=held, action="approve")
    assert [event.name for event in captured.on(world.post.topic)] == [events.COMMENT_ADDED]
    assert _kinds(cast.member) == [events.NOTIFY_COMMENT]


def test_the_writer_deletes_their_comment_and_it_leaves_live(cast, world):
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=cast.member, comment=world.comment)
    with capture_events() as captured:
        services.comment_delete(actor=cast.leader2, comment=world.comment)
    assert [event.name for event in captured.on(world.post.topic)] == [events.COMMENT_REMOVED]
    assert Comment.objects.get(pk=world.comment.pk).deleted_at is not None


@pytest.mark.parametrize("role", ROLES)
def test_the_post_topic_admits_who_sees_the_post(cast, world, role):
    user = getattr(cast, role)
    authorize_post_topic(user, str(world.post.pk))
    if permissions.can_see_post(user, world.held):
        authorize_post_topic(user, str(world.held.pk))
    else:
        with pytest.raises(TopicNotFound):
            authorize_post_topic(user, str(world.held.pk))
    with pytest.raises(TopicNotFound):
        authorize_post_topic(user, "999999")
