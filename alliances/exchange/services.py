"""Every write of 经验交流: check permission (PermissionDenied), validate (ValidationError), save,
audit, notify, and emit the post topic's live events (stored in the transaction, published after
commit by platform_core.realtime.services.emit)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import FieldOfWork
from platform_core.audit.services import audit_record
from platform_core.images import reencode_avatar
from platform_core.notifications.services import notify, verbatim
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import is_studio_member
from platform_core.realtime.services import emit
from platform_core.text import clean_line, clean_plain_text
from platform_core.uploads import POST_IMAGE

from . import events, permissions
from .models import Comment, Post, PostFavourite, PostImage, PostLike, Report, SensitiveWord, Status
from .rendering import render_post_text
from .search import post_grams

TITLE_MAX = 120
BODY_MAX = 20000
COMMENT_MAX = 2000
REASON_MAX = 300
MAX_FIELDS = 5
IMAGE_SIDE = 1600
MAX_IMAGES = 20
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _post_url(post: Post, comment: Comment | None = None) -> str:
    url = reverse("exchange:detail", args=[post.pk])
    return f"{url}#comment-{comment.pk}" if comment is not None else url


# Sensitive words -----------------------------------------------------------------------------------


def _folded(text: str) -> str:
    """Text as the sensitive-word check compares it: NFKC (full-width letters as ASCII), no case,
    no whitespace (so "敏 感" is "敏感")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def sensitive_hits(*texts: str) -> list[str]:
    """The listed sensitive words found in the texts (empty: nothing holds them)."""
    folded = _folded(" ".join(texts))
    return [word for word in SensitiveWord.objects.values_list("word", flat=True) if _folded(word) in folded]


def sensitive_word_add(*, actor, word: str, ip_address: str | None = None) -> SensitiveWord:
    _require(
        permissions.can_manage_sensitive_words(actor), _("Only union admins manage the sensitive words.")
    )
    cleaned = clean_line(word or "", max_length=30)
    if not cleaned:
        raise ValidationError({"word": _("Enter a word.")})
    if any(
        _folded(cleaned) == _folded(existing)
        for existing in SensitiveWord.objects.values_list("word", flat=True)
    ):
        raise ValidationError({"word": _("This word is already on the list.")})
    with transaction.atomic():
        entry = SensitiveWord.objects.create(word=cleaned)
        audit_record(actor=actor, action=events.SENSITIVE_WORD_ADDED, target=entry, ip_address=ip_address)
    return entry


def sensitive_word_remove(*, actor, entry: SensitiveWord, ip_address: str | None = None) -> None:
    _require(
        permissions.can_manage_sensitive_words(actor), _("Only union admins manage the sensitive words.")
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=events.SENSITIVE_WORD_REMOVED,
            target=entry,
            ip_address=ip_address,
            data={"word": entry.word},
        )
        entry.delete()


def seed_sensitive_words() -> None:
    """The first list, from the setting (a data migration calls it; the admins edit it later)."""
    for word in getattr(settings, "EXCHANGE_SENSITIVE_WORDS", ()):
        cleaned = clean_line(word, max_length=30)
        if cleaned:
            SensitiveWord.objects.get_or_create(word=cleaned)


# Posts -------------------------------------------------------------------------------------------


def _clean_post(title: str, body: str) -> tuple[str, str]:
    errors = {}
    title = clean_line(title or "", max_length=TITLE_MAX)
    body = clean_plain_text(body or "", max_length=BODY_MAX)
    if not title:
        errors["title"] = _("Give the post a title.")
    if not body:
        errors["body"] = _("Write the text of the post.")
    if errors:
        raise ValidationError(errors)
    return title, body


def _clean_fields(fields: Iterable) -> list[FieldOfWork]:
    chosen: list[FieldOfWork] = []
    for item in fields or ():
        field = item if isinstance(item, FieldOfWork) else FieldOfWork.objects.filter(pk=item).first()
        if field is None:
            raise ValidationError({"fields": _("Choose fields of work from the list.")})
        if field not in chosen:
            chosen.append(field)
    if len(chosen) > MAX_FIELDS:
        raise ValidationError(
            {"fields": _("Choose at most %(count)d fields of work.") % {"count": MAX_FIELDS}}
        )
    return chosen


def _render(post: Post) -> str:
    image_ids = set(post.images.values_list("pk", flat=True)) if post.pk else set()
    return render_post_text(post.body, image_ids)


def _hold_or_publish(post: Post) -> None:
    """A text holding a sensitive word waits for a moderator; any other is published."""
    held = sensitive_hits(post.title, post.body)
    if held:
        post.status = Status.PENDING
        post.held_words = "、".join(held)[:300]
    else:
        post.status = Status.PUBLISHED
        post.held_words = ""
        if post.published_at is None:
            post.published_at = timezone.now()


def post_create(
    *,
    actor,
    title: str,
    body: str,
    fields: Iterable = (),
    studio: Studio | None = None,
    ip_address: str | None = None,
) -> Post:
    _require(permissions.can_write_post(actor), _("Log in to write a post."))
    title, body = _clean_post(title, body)
    chosen = _clean_fields(fields)
    if studio is not None and not (studio.is_active and is_studio_member(actor, studio)):
        raise ValidationError({"studio": _("You may write only for an active studio you belong to.")})
    post = Post(
        author=actor,
        studio=studio,
        unit=studio.unit if studio is not None else actor.unit,
        title=title,
        body=body,
    )
    _hold_or_publish(post)
    with transaction.atomic():
        post.html = _render(post)
        post.search_grams = post_grams(post, [field.name for field in chosen])
        post.save()
        post.fields.set(chosen)
        audit_record(
            actor=actor,
            action=events.POST_CREATED,
            target=post,
            ip_address=ip_address,
            data={"status": post.status, "held_for": post.held_words},
        )
    return post


def post_edit(
    *, actor, post: Post, title: str, body: str, fields: Iterable = (), ip_address: str | None = None
) -> Post:
    _require(permissions.can_edit_post(actor, post), _("Only the author may edit this post."))
    title, body = _clean_post(title, body)
    chosen = _clean_fields(fields)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        _require(permissions.can_edit_post(actor, post), _("Only the author may edit this post."))
        post.title, post.body = title, body
        _hold_or_publish(post)
        post.html = _render(post)
        post.search_grams = post_grams(post, [field.name for field in chosen])
        post.save(
            update_fields=[
                "title",
                "body",
                "html",
                "status",
                "held_words",
                "published_at",
                "search_grams",
                "updated_at",
            ]
        )
        post.fields.set(chosen)
        audit_record(
            actor=actor,
            action=events.POST_EDITED,
            target=post,
            ip_address=ip_address,
            data={"status": post.status, "held_for": post.held_words},
        )
    return post


def post_delete(*, actor, post: Post, ip_address: str | None = None) -> None:
    """A soft delete: the post leaves every list and page; the record stays for the audit."""
    _require(permissions.can_delete_post(actor, post), _("Only the author may delete this post."))
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.featured_at = None
        post.save(update_fields=["deleted_at", "featured_at", "updated_at"])
        audit_record(actor=actor, action=events.POST_DELETED, target=post, ip_address=ip_address)


def post_image_add(*, actor, post: Post, upload, ip_address: str | None = None) -> PostImage:
    """A picture for the post, decoded and encoded afresh; the author places it in the text with
    `![说明](image:<id>)`."""
    _require(permissions.can_edit_post(actor, post), _("Only the author may add pictures to this post."))
    name = POST_IMAGE.admit(upload)
    if post.images.count() >= MAX_IMAGES:
        raise ValidationError({"file": _("A post holds at most %(count)d pictures.") % {"count": MAX_IMAGES}})
    try:
        content = reencode_avatar(upload, side=IMAGE_SIDE)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        image = PostImage(post=post, name=name, size=content.size)
        image.file.save(content.name or "picture.jpg", content, save=False)
        image.save()
        audit_record(
            actor=actor,
            action=events.POST_IMAGE_ADDED,
            target=post,
            ip_address=ip_address,
            data={"image": image.pk},
        )
    return image


def post_feature(*, actor, post: Post, featured: bool, ip_address: str | None = None) -> Post:
    _require(permissions.can_feature_post(actor, post), _("Only the union admins over this post feature it."))
    with transaction.atomic():
        post.featured_at = timezone.now() if featured else None
        post.save(update_fields=["featured_at", "updated_at"])
        audit_record(
            actor=actor,
            action=events.POST_FEATURED if featured else events.POST_UNFEATURED,
            target=post,
            ip_address=ip_address,
        )
    return post


# Likes and favourites ------------------------------------------------------------------------------


def post_like(*, actor, post: Post, liked: bool) -> Post:
    _require(permissions.can_take_part(actor, post), _("Log in to like a published post."))
    with transaction.atomic():
        if liked:
            try:
                with transaction.atomic():
                    PostLike.objects.create(post=post, user=actor)
            except IntegrityError:
                return post
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
        elif PostLike.objects.filter(post=post, user=actor).delete()[0]:
            Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    post.refresh_from_db(fields=["like_count"])
    return post


def post_favourite(*, actor, post: Post, favourite: bool) -> None:
    _require(permissions.can_take_part(actor, post), _("Log in to keep a published post."))
    if favourite:
        PostFavourite.objects.get_or_create(post=post, user=actor)
    else:
        PostFavourite.objects.filter(post=post, user=actor).delete()


# Comments ----------------------------------------------------------------------------------------


def _mentioned(actor, body: str) -> list:
    names = set(_MENTION.findall(body))
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True).exclude(pk=actor.pk))


def _comment_published(comment: Comment) -> None:
    """What follows a comment going public: its count, the live event, the notifications (the
    post's author, the replied-to, the mentioned: each told once, never the writer)."""
    post = comment.post
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    emit(post.topic, events.COMMENT_ADDED, events.comment_payload(comment))
    actor = comment.author
    url = _post_url(post, comment)
    told = {actor.pk}
    if post.author_id not in told:
        notify(
            [post.author],
            kind=events.NOTIFY_COMMENT,
            title=lambda: (
                _("%(name)s commented on your post %(title)s") % {"name": actor, "title": post.title}
            ),
            body=verbatim(comment.body[:200]),
            url=url,
        )
        told.add(post.author_id)
    if comment.parent is not None and comment.parent.author_id not in told:
        notify(
            [comment.parent.author],
            kind=events.NOTIFY_REPLY,
            title=lambda: (
                _("%(name)s replied to your comment on %(title)s") % {"name": actor, "title": post.title}
            ),
            body=verbatim(comment.body[:200]),
            url=url,
        )
        told.add(comment.parent.author_id)
    mentioned = [user for user in comment.mentions.all() if user.pk not in told]
    notify(
        mentioned,
        kind=events.NOTIFY_MENTION,
        title=lambda: _("%(name)s mentioned you on %(title)s") % {"name": actor, "title": post.title},
        body=verbatim(comment.body[:200]),
        url=url,
    )


def comment_create(*, actor, post: Post, body: str, parent: Comment | None = None) -> Comment:
    _require(permissions.can_take_part(actor, post), _("Log in to comment on a published post."))
    body = clean_plain_text(body or "", max_length=COMMENT_MAX)
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if parent is not None:
        if parent.post_id != post.pk or not parent.is_published:
            raise ValidationError({"parent": _("Reply to a comment of this post.")})
        # One level of replies: a reply to a reply joins its thread.
        if parent.parent_id is not None:
            parent = parent.parent
    held = sensitive_hits(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            author=actor,
            body=body,
            html=render_post_text(body),
            status=Status.PENDING if held else Status.PUBLISHED,
            held_words="、".join(held)[:300],
        )
        comment.mentions.set(_mentioned(actor, body))
        if not held:
            _comment_published(comment)
    return comment


def _comment_withdrawn(comment: Comment) -> None:
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    emit(comment.post.topic, events.COMMENT_REMOVED, events.comment_removed_payload(comment))


def comment_delete(*, actor, comment: Comment, ip_address: str | None = None) -> None:
    _require(permissions.can_delete_comment(actor, comment), _("Only its author may delete this comment."))
    with transaction.atomic():
        was_public = comment.is_published
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        if was_public:
            _comment_withdrawn(comment)
        audit_record(actor=actor, action=events.COMMENT_DELETED, target=comment, ip_address=ip_address)


# Reports and moderation ----------------------------------------------------------------------------


def report_file(
    *, actor, post: Post, comment: Comment | None = None, reason: str, ip_address: str | None = None
) -> Report:
    if comment is not None:
        _require(permissions.can_report_comment(actor, comment), _("You cannot report this comment."))
        post = comment.post
    else:
        _require(permissions.can_report_post(actor, post), _("You cannot report this post."))
    reason = clean_line(reason or "", max_length=REASON_MAX)
    if not reason:
        raise ValidationError({"reason": _("Say why you report it.")})
    with transaction.atomic():
        existing = Report.objects.filter(
            post=post, comment=comment, reporter=actor, state=Report.State.OPEN
        ).first()
        if existing is not None:
            return existing
        report = Report.objects.create(post=post, comment=comment, reporter=actor, reason=reason)
        audit_record(
            actor=actor,
            action=events.REPORT_FILED,
            target=comment if comment is not None else post,
            ip_address=ip_address,
            data={"reason": reason},
        )
    return report


def _resolve_reports(reports, actor, state: str) -> None:
    reports.filter(state=Report.State.OPEN).update(state=state, resolved_by=actor, resolved_at=timezone.now())


MODERATION_ACTIONS = ("approve", "hide")


def post_moderate(*, actor, post: Post, action: str, reason: str = "", ip_address: str | None = None) -> Post:
    """Approve a held post (it is published) or hide a post with a reason (its author is told;
    the open reports on it are closed)."""
    _require(
        permissions.can_moderate_post(actor, post), _("Only the union admins over this post moderate it.")
    )
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": _("Unknown moderation action.")})
    reason = clean_line(reason or "", max_length=REASON_MAX)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if action == "approve":
            if post.status != Status.PENDING:
                raise ValidationError({"action": _("Only a post held for review is approved.")})
            post.status, post.held_words = Status.PUBLISHED, ""
            post.published_at = post.published_at or timezone.now()
            post.save(update_fields=["status", "held_words", "published_at", "updated_at"])
            audit_record(actor=actor, action=events.POST_APPROVED, target=post, ip_address=ip_address)
            notify(
                [post.author],
                kind=events.NOTIFY_APPROVED,
                title=lambda: _("Your post %(title)s is published") % {"title": post.title},
                url=_post_url(post),
            )
            return post
        if not reason:
            raise ValidationError({"reason": _("Give the reason for hiding it: the author is told.")})
        post.status, post.hidden_reason, post.featured_at = Status.HIDDEN, reason, None
        post.save(update_fields=["status", "hidden_reason", "featured_at", "updated_at"])
        _resolve_reports(Report.objects.filter(post=post, comment__isnull=True), actor, Report.State.HIDDEN)
        audit_record(
            actor=actor,
            action=events.POST_HIDDEN,
            target=post,
            ip_address=ip_address,
            data={"reason": reason},
        )
        notify(
            [post.author],
            kind=events.NOTIFY_HIDDEN,
            title=lambda: _("Your post %(title)s was hidden") % {"title": post.title},
            body=verbatim(reason),
            url=_post_url(post),
        )
    return post


def comment_moderate(
    *, actor, comment: Comment, action: str, reason: str = "", ip_address: str | None = None
) -> Comment:
    _require(
        permissions.can_moderate_comment(actor, comment),
        _("Only the union admins over this post moderate it."),
    )
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": _("Unknown moderation action.")})
    reason = clean_line(reason or "", max_length=REASON_MAX)
    with transaction.atomic():
        # Locked alone (PostgreSQL locks no nullable side of a join); its post and parent load after.
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if action == "approve":
            if comment.status != Status.PENDING:
                raise ValidationError({"action": _("Only a comment held for review is approved.")})
            comment.status, comment.held_words = Status.PUBLISHED, ""
            comment.save(update_fields=["status", "held_words"])
            audit_record(actor=actor, action=events.COMMENT_APPROVED, target=comment, ip_address=ip_address)
            _comment_published(comment)
            return comment
        if not reason:
            raise ValidationError({"reason": _("Give the reason for hiding it: the author is told.")})
        was_public = comment.is_published
        comment.status, comment.hidden_reason = Status.HIDDEN, reason
        comment.save(update_fields=["status", "hidden_reason"])
        if was_public:
            _comment_withdrawn(comment)
        _resolve_reports(Report.objects.filter(comment=comment), actor, Report.State.HIDDEN)
        audit_record(
            actor=actor,
            action=events.COMMENT_HIDDEN,
            target=comment,
            ip_address=ip_address,
            data={"reason": reason},
        )
        post = comment.post
        notify(
            [comment.author],
            kind=events.NOTIFY_HIDDEN,
            title=lambda: _("Your comment on %(title)s was hidden") % {"title": post.title},
            body=verbatim(reason),
            url=_post_url(post),
        )
    return comment


def report_dismiss(*, actor, report: Report, ip_address: str | None = None) -> Report:
    _require(
        permissions.can_moderate_post(actor, report.post),
        _("Only the union admins over this post moderate it."),
    )
    if report.state != Report.State.OPEN:
        raise ValidationError({"report": _("This report is already settled.")})
    with transaction.atomic():
        _resolve_reports(Report.objects.filter(pk=report.pk), actor, Report.State.DISMISSED)
        report.refresh_from_db()
        audit_record(actor=actor, action=events.REPORT_DISMISSED, target=report.post, ip_address=ip_address)
    return report
