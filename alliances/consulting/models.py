"""Consultations (a question to an expert committee, taken by one expert, talked over in a private
room, answered and rated), their files, and the public Q&A entries they may become."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage


def consultation_file_path(instance: ConsultationFile, filename: str) -> str:
    # A random name: the stored path reveals neither the question nor the original file name.
    extension = Path(filename).suffix.lower()[:10]
    return f"consulting/{uuid.uuid4().hex}{extension}"


class Consultation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an expert")
        ESCALATED = "escalated", _("With the committee's chair")
        TAKEN = "taken", _("In discussion")
        CLOSED = "closed", _("Answered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    committee = models.ForeignKey(
        "accounts.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="consultations_asked",
    )
    # Asked by a studio's leader on the studio's behalf (None: by the member for themselves).
    studio = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("on behalf of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("question"))
    body_html = models.TextField(_("rendered question"), editable=False)
    fields = models.ManyToManyField(
        "alliances.FieldOfWork", verbose_name=_("fields of work"), blank=True, related_name="consultations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations_taken",
    )
    room = models.OneToOneField(
        "alliances.Room",
        verbose_name=_("thread"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation",
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_html = models.TextField(_("rendered answer"), blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("sent to the chair at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="consultation_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="consultation_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["taken", "closed"]) | models.Q(expert__isnull=False),
                name="consultation_taken_has_expert",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def waiting(self) -> bool:
        """Nobody has taken it yet."""
        return self.status in (self.Status.OPEN, self.Status.ESCALATED)


WAITING = (Consultation.Status.OPEN, Consultation.Status.ESCALATED)


class ConsultationFile(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=consultation_file_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation file")
        verbose_name_plural = _("consultation files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class QAEntry(models.Model):
    """A closed consultation published as public Q&A, with its asker's consent (their name hidden
    on request). Open to anonymous visitors; found by the Chinese search (search.QA)."""

    consultation = models.OneToOneField(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="qa_entry"
    )
    committee = models.ForeignKey(
        "accounts.Committee", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="qa_entries"
    )
    title = models.CharField(_("title"), max_length=200)
    question_html = models.TextField(_("question"))
    answer_html = models.TextField(_("answer"))
    # The plain texts the search reads and the snippets show.
    question_text = models.TextField(_("question text"), editable=False)
    answer_text = models.TextField(_("answer text"), editable=False)
    # The asker's name as published ("" when they asked for it to be hidden) and the expert's.
    asker_name = models.CharField(_("asked by"), max_length=150, blank=True)
    expert_name = models.CharField(_("answered by"), max_length=150, blank=True)
    fields = models.ManyToManyField(
        "alliances.FieldOfWork", verbose_name=_("fields of work"), blank=True, related_name="qa_entries"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    search_grams = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("public Q&A entry")
        verbose_name_plural = _("public Q&A entries")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title
