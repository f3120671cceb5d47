"""A user's notifications: stored, pushed live on user:<id>, counted in the page header."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


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
