"""A user's notifications: stored, pushed live on user:<id>, counted in the page header."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class MailState(models.TextChoices):
    PENDING = "pending", _("not looked at yet")
    DIGEST = "digest", _("waits for the daily digest")
    DONE = "done", _("mailed, or nothing to mail")


class Notification(models.Model):
    """`title` and `body` hold the text in the platform's language (settings.LANGUAGE_CODE): what the
    admin searches, and what every reader falls back to. `translations` holds the same text in each
    other language of settings.LANGUAGES, {"en": {"title": …, "body": …}}, rendered when the
    notification was created (see services.notify). Rows written before translations existed have
    none and read in the platform's language, so no data migration is needed. Readers ask for
    `title_in(language)` or, for the active language of the request, `shown_title`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Where the e-mail step (mail.py) is with this notification: rows written before e-mail existed
    # were set to "done" by the migration, so nobody gets a mail about last month.
    mail_state = models.CharField(
        _("e-mail state"), max_length=8, choices=MailState.choices, default=MailState.PENDING
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            # The e-mail step reads only the rows it has still to handle: small partial indexes.
            models.Index(
                fields=["created_at"],
                condition=models.Q(mail_state="pending"),
                name="notification_mail_pending_idx",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(mail_state="digest"),
                name="notification_mail_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def text_in(self, language: str | None) -> dict[str, str]:
        """{"title", "body"} in that language, or in the platform's language when it has none."""
        text = self.translations.get(language) if language and language != settings.LANGUAGE_CODE else None
        if isinstance(text, dict) and text.get("title"):
            return {"title": text["title"], "body": text.get("body", "")}
        return {"title": self.title, "body": self.body}

    def title_in(self, language: str | None) -> str:
        return self.text_in(language)["title"]

    def body_in(self, language: str | None) -> str:
        return self.text_in(language)["body"]

    @property
    def shown_title(self) -> str:
        """The title in the active language: the reader's, on a page or an API request."""
        return self.title_in(translation.get_language())

    @property
    def shown_body(self) -> str:
        return self.body_in(translation.get_language())

    @property
    def link(self) -> str:
        """The URL to show as a link: a path on this site only (as the live toast's safeUrl), so a
        stored `javascript:` or off-site URL, whoever wrote it, never becomes a link."""
        url = self.url or ""
        return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""

    def as_payload(self) -> dict:
        # The live event reaches every tab of the recipient, whatever language each page speaks:
        # it carries every language, and the page picks its own (<html lang>), falling back to
        # title/body, the platform's language.
        return {
            "id": self.pk,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "texts": {code: self.text_in(code) for code, _name in settings.LANGUAGES},
            "url": self.url,
            "read": self.is_read,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


class EmailSettings(models.Model):
    """A person's e-mail settings: the language of their mails, and for each kind of notification
    where they differ from the kind's default (kinds.py), how it goes by e-mail. No row: defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_settings",
    )
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # {kind: "off" | "soon" | "digest"}, kinds as registered, or "other" for every unregistered one.
    modes = models.JSONField(_("e-mail per kind"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail settings")
        verbose_name_plural = _("e-mail settings")

    def __str__(self) -> str:
        return str(self.user)


class OutgoingMail(models.Model):
    """One e-mail to send: composed by the periodic step (or a password reset), sent by the
    periodic step (mailer.py), never inside a request. `dedup_key` is unique, so composing the
    same mail twice (two runners, a retried pass) stores it once."""

    class State(models.TextChoices):
        PENDING = "pending", _("to send")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_mails",
    )
    to_address = models.EmailField(_("to"), max_length=254)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="outgoing_mail_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
