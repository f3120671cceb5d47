"""Reports, the moderation queue, hiding with a reason and dismissing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.exchange import events, permissions, selectors, services
from alliances.exchange.models import Report, Status
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from tests.cast import ROLES

pytestmark = pytest.mark.django_db


def test_anyone_signed_in_reports_once_but_not_their_own_text(cast, world):
    again = services.report_file(actor=cast.outsider, post=world.post, reason="又举报")
    assert again.pk == world.report.pk
    with pytest.raises(PermissionDenied):
        services.report_file(actor=cast.member, post=world.post, reason="自己")
    with pytest.raises(PermissionDenied):
        services.report_file(actor=AnonymousUser(), post=world.post, reason="匿名")
    with pytest.raises(ValidationError):
        services.report_file(actor=cast.expert, post=world.post, reason="  ")
    on_comment = services.report_file(
        actor=cast.expert, post=world.post, comment=world.comment, reason="骂人"
    )
    assert on_comment.comment == world.comment
    with pytest.raises(PermissionDenied):
        services.report_file(actor=cast.leader2, post=world.post, comment=world.comment, reason="自己")


def test_the_queue_holds_what_is_in_the_admins_scope(cast, world):
    queue = selectors.moderation_queue(cast.admin)
    assert [post.pk for post in queue.held_posts] == [world.held.pk]
    assert [report.pk for report in queue.reports] == [world.report.pk]
    other = selectors.moderation_queue(cast.admin2)
    assert other.is_empty
    assert selectors.moderation_queue(cast.superadmin).reports == queue.reports
    assert not selectors.moderation_queue(cast.member).reports


@pytest.mark.parametrize("role", ROLES)
def test_only_the_admins_over_the_unit_moderate(cast, world, role):
    assert permissions.can_moderate_post(getattr(cast, role), world.post) == (role in ("superadmin", "admin"))


def test_hiding_needs_a_reason_tells_the_author_and_closes_the_reports(cast, world):
    services.post_feature(actor=cast.admin, post=world.post, featured=True)
    with pytest.raises(ValidationError):
        services.post_moderate(actor=cast.admin, post=world.post, action="hide", reason="")
    with pytest.raises(PermissionDenied):
        services.post_moderate(actor=cast.admin2, post=world.post, action="hide", reason="越权")
    Notification.objects.all().delete()
    post = services.post_moderate(actor=cast.admin, post=world.post, action="hide", reason="含广告")
    assert post.status == Status.HIDDEN and post.hidden_reason == "含广告" and post.featured_at is None
    told = Notification.objects.get(recipient=cast.member)
    assert told.kind == events.NOTIFY_HIDDEN and "含广告" in str(told.body)
    report = Report.objects.get(pk=world.report.pk)
    assert report.state == Report.State.HIDDEN and report.resolved_by == cast.admin
    entry = AuditEntry.objects.get(action=events.POST_HIDDEN)
    assert entry.data == {"reason": "含广告"} and entry.actor == cast.admin
    # The author still sees it, with the reason; readers no longer do; the author may not edit it.
    assert permissions.can_see_post(cast.member, post) and not permissions.can_see_post(cast.leader2, post)
    assert not permissions.can_edit_post(cast.member, post)
    assert selectors.featured_posts() == []


def test_approving_publishes_a_held_post_and_tells_its_author(cast, world):
    with pytest.raises(ValidationError):
        services.post_moderate(actor=cast.admin, post=world.post, action="approve")
    Notification.objects.all().delete()
    post = services.post_moderate(actor=cast.admin, post=world.held, action="approve")
    assert post.is_published and post.published_at is not None and post.held_words == ""
    assert Notification.objects.get(recipient=cast.member).kind == events.NOTIFY_APPROVED


def test_hiding_a_comment_tells_its_writer(cast, world):
    report = services.report_file(actor=cast.expert, post=world.post, comment=world.comment, reason="骂人")
    Notification.objects.all().delete()
    services.comment_moderate(actor=cast.superadmin, comment=world.comment, action="hide", reason="不文明")
    assert Notification.objects.get(recipient=cast.leader2).kind == events.NOTIFY_HIDDEN
    assert Report.objects.get(pk=report.pk).state == Report.State.HIDDEN
    assert world.comment.pk not in [
        thread.comment.comment.pk for thread in selectors.comments_for(cast.outsider, world.post)
    ]


def test_dismissing_a_report_keeps_the_text(cast, world):
    with pytest.raises(PermissionDenied):
        services.report_dismiss(actor=cast.admin2, report=world.report)
    services.report_dismiss(actor=cast.admin, report=world.report)
    assert Report.objects.get(pk=world.report.pk).state == Report.State.DISMISSED
    assert permissions.can_see_post(cast.outsider, world.post)
    with pytest.raises(ValidationError):
        services.report_dismiss(actor=cast.admin, report=Report.objects.get(pk=world.report.pk))
    assert AuditEntry.objects.filter(action=events.REPORT_DISMISSED).exists()
