"""The events of 经验交流, named once: audit actions (with their labels), notification kinds, and
the live events of the `post:<id>` topic with their payloads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications import kinds as notification_kinds

from .models import Comment

# Audit actions.
POST_CREATED = "exchange.post_created"
POST_EDITED = "exchange.post_edited"
POST_DELETED = "exchange.post_deleted"
POST_APPROVED = "exchange.post_approved"
POST_HIDDEN = "exchange.post_hidden"
POST_FEATURED = "exchange.post_featured"
POST_UNFEATURED = "exchange.post_unfeatured"
POST_IMAGE_ADDED = "exchange.post_image_added"
COMMENT_DELETED = "exchange.comment_deleted"
COMMENT_APPROVED = "exchange.comment_approved"
COMMENT_HIDDEN = "exchange.comment_hidden"
REPORT_FILED = "exchange.report_filed"
REPORT_DISMISSED = "exchange.report_dismissed"
SENSITIVE_WORD_ADDED = "exchange.sensitive_word_added"
SENSITIVE_WORD_REMOVED = "exchange.sensitive_word_removed"

# Notification kinds.
NOTIFY_COMMENT = "exchange.comment"
NOTIFY_REPLY = "exchange.reply"
NOTIFY_MENTION = "exchange.mention"
NOTIFY_HIDDEN = "exchange.hidden"
NOTIFY_APPROVED = "exchange.approved"
NOTIFICATION_KINDS = (NOTIFY_COMMENT, NOTIFY_REPLY, NOTIFY_MENTION, NOTIFY_HIDDEN, NOTIFY_APPROVED)

# Live events of post:<id>.
COMMENT_ADDED = "comment.added"
COMMENT_REMOVED = "comment.removed"

register_action_labels(
    {
        POST_CREATED: _("Experience post written"),
        POST_EDITED: _("Experience post edited"),
        POST_DELETED: _("Experience post deleted"),
        POST_APPROVED: _("Held experience post published"),
        POST_HIDDEN: _("Experience post hidden"),
        POST_FEATURED: _("Experience post featured"),
        POST_UNFEATURED: _("Experience post no longer featured"),
        POST_IMAGE_ADDED: _("Picture added to an experience post"),
        COMMENT_DELETED: _("Comment deleted"),
        COMMENT_APPROVED: _("Held comment published"),
        COMMENT_HIDDEN: _("Comment hidden"),
        REPORT_FILED: _("Post or comment reported"),
        REPORT_DISMISSED: _("Report dismissed"),
        SENSITIVE_WORD_ADDED: _("Sensitive word added"),
        SENSITIVE_WORD_REMOVED: _("Sensitive word removed"),
    }
)


def comment_payload(comment: Comment) -> dict:
    """What a reader's page needs to show a new comment: the text as written (the page shows it as
    text, never as markup), its author and its place in the thread."""
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": str(comment.author),
        "body": comment.body,
        # Already through the platform's allowlist; the page copies only allowed tags from it.
        "html": comment.html,
        "created_at": comment.created_at.isoformat(),
    }


def comment_removed_payload(comment: Comment) -> dict:
    return {"id": comment.pk, "post_id": comment.post_id}


# Notification kinds (platform_core/notifications/kinds.py): how each goes by e-mail by default.
_EXCHANGE = _("Experience exchange")
notification_kinds.register(
    "exchange.mention",
    _("Mentions in posts and comments"),
    notification_kinds.EmailMode.SOON,
    group=_EXCHANGE,
)
notification_kinds.register("exchange.comment", _("Comments on my posts"), group=_EXCHANGE)
notification_kinds.register("exchange.reply", _("Replies to my comments"), group=_EXCHANGE)
notification_kinds.register(
    "exchange.hidden",
    _("My posts or comments hidden by a moderator"),
    notification_kinds.EmailMode.SOON,
    group=_EXCHANGE,
)
notification_kinds.register("exchange.approved", _("My held posts approved"), group=_EXCHANGE)
