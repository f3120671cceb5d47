"""经验交流: experience posts written by members (optionally for one of their studios), their
comments, likes and favourites, the reports readers file, and the sensitive words that hold a
text for review. Every write goes through services.py; who sees what is in permissions.py."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.models import FieldOfWork
from platform_core.private_storage import private_storage

from .rendering import stored_html


class Status(models.TextChoices):
    PUBLISHED = "published", _("published")
    PENDING = "pending", _("pending review")
    HIDDEN = "hidden", _("hidden")


class Post(models.Model):
    """An experience post: Markdown source (`body`) and its sanitised rendering (`html`, made by
    the services). `unit` is whose union admins moderate it: the studio's unit when written for a
    studio, the author's otherwise (none: only superusers)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    studio = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    html = models.TextField(_("rendered text"), editable=False)
    fields = models.ManyToManyField(
        FieldOfWork, verbose_name=_("fields of work"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    # The sensitive words that held it, for the moderators (empty once published).
    held_words = models.CharField(_("held for"), max_length=300, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    featured_at = models.DateTimeField(_("featured at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    # The Chinese gram index (alliances/exchange/search.py), filled by the services.
    search_grams = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("experience post")
        verbose_name_plural = _("experience posts")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="exchange_post_listed"),
            models.Index(fields=["-featured_at"], name="exchange_post_featured"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic(self) -> str:
        return f"post:{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.deleted_at is None

    @property
    def rendered(self):
        return stored_html(self.html)


class Comment(models.Model):
    """A comment on a post, or a reply to one (one level: a reply's parent is a top comment)."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("text"))
    html = models.TextField(_("rendered text"), editable=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentions"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    held_words = models.CharField(_("held for"), max_length=300, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.deleted_at is None

    @property
    def rendered(self):
        return stored_html(self.html)


class PostLike(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="exchange_like_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.post}"


class PostFavourite(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="favourites"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="exchange_favourite_once")]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.post}"


class Report(models.Model):
    """A reader's report of a post or a comment, open until a moderator hides the text or dismisses
    the report."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("text hidden")
        DISMISSED = "dismissed", _("dismissed")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open report per reader and text: reporting again adds nothing.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(state="open", comment__isnull=True),
                name="exchange_report_post_open_once",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(state="open", comment__isnull=False),
                name="exchange_report_comment_open_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class SensitiveWord(models.Model):
    """A word that holds a post or comment for review instead of publishing it (matched without
    regard to case or full-width forms). The union admins manage the list; the setting
    EXCHANGE_SENSITIVE_WORDS is its first content."""

    word = models.CharField(_("word"), max_length=30, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


def post_image_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the author nor the original file name.
    return f"exchange/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class PostImage(models.Model):
    """A picture of a post (decoded and encoded afresh), in private storage: it is shown as its
    post is, through the access-checked image view. The body places it with `![说明](image:<id>)`."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="images")
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=post_image_upload_to, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("post picture")
        verbose_name_plural = _("post pictures")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
