"""Demonstration naming (示范性创新工作室命名) and its dynamic management (动态管理, 摘牌).

A union admin opens a round for a level; studios are nominated, assess themselves against the five
standards with evidence, experts score each standard, the admin decides the named list, which is
published for a notice period (公示) in which objections are lodged and answered; then the titles
are conferred. A re-assessment round scores the holders of a level's titles the same way, and a
studio below the pass mark loses its title. Imported by orgs/models.py, so these are orgs models.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage

from ..standards import Standard

# The levels a round names at, highest first (a grassroots studio is where naming starts from).
ROUND_LEVELS = ("national", "industry", "group", "provincial")


def round_level_choices() -> list[tuple[str, object]]:
    # A callable: the studio levels' labels, without importing orgs.models while it imports this.
    from ..models import Studio

    return [(value, label) for value, label in Studio.Level.choices if value in ROUND_LEVELS]


def evidence_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the studio nor the original file name.
    return f"naming/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class NamingRound(models.Model):
    class Kind(models.TextChoices):
        NAMING = "naming", _("Naming (命名)")
        REASSESSMENT = "reassessment", _("Re-assessment (复核)")

    class Status(models.TextChoices):
        NOMINATING = "nominating", _("Nominations and self-assessment")
        SCORING = "scoring", _("Expert scoring")
        DECIDING = "deciding", _("Scoring closed, results being decided")
        NOTICE = "notice", _("Public notice (公示)")
        CONCLUDED = "concluded", _("Concluded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NAMING)
    level = models.CharField(_("level"), max_length=20, choices=round_level_choices)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    period_years = models.PositiveSmallIntegerField(
        _("period (years)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATING)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    nominations_close_on = models.DateField(_("nominations close on"))
    assessment_close_on = models.DateField(_("self-assessments close on"))
    scoring_close_on = models.DateField(_("expert scoring closes on"))
    notice_ends_on = models.DateField(_("public notice ends on"))
    notice_starts_on = models.DateField(_("public notice starts on"), null=True, blank=True)
    # {standard: weight in %}, the five standards, adding up to 100.
    weights = models.JSONField(_("weights"), default=dict)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("expert panel"), related_name="naming_rounds", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("naming round")
        verbose_name_plural = _("naming rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_close_on__gte=models.F("nominations_close_on"))
                & models.Q(scoring_close_on__gte=models.F("assessment_close_on")),
                name="naming_round_schedule",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=0, pass_mark__lte=100), name="naming_round_pass_mark"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_reassessment(self) -> bool:
        return self.kind == self.Kind.REASSESSMENT


class Nomination(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated, self-assessment to submit")
        SUBMITTED = "submitted", _("Self-assessment submitted")
        LAPSED = "lapsed", _("Lapsed: no self-assessment")
        NAMED = "named", _("On the named list")
        NOT_NAMED = "not_named", _("Not named")
        WITHDRAWN = "withdrawn", _("Withdrawn after an objection")
        CONFERRED = "conferred", _("Title conferred")
        PASSED = "passed", _("Passed the re-assessment")
        FAILED = "failed", _("Failed the re-assessment")

    round = models.ForeignKey(
        NamingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="nominations"
    )
    studio = models.ForeignKey(
        "orgs.Studio", verbose_name=_("studio"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("recommendation"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    # The platform's figures at submission: [{"key", "label", "standard", "unit", "value"}], so a
    # later change to what the platform counts does not alter a submitted assessment.
    figures = models.JSONField(_("figures at submission"), default=list, blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "studio"], name="nomination_unique")]

    def __str__(self) -> str:
        return f"{self.studio} @ {self.round}"


class AssessmentAnswer(models.Model):
    """The studio's own account of one standard (its self-assessment text)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="answers"
    )
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    text = models.TextField(_("self-assessment"), blank=True)

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "standard"], name="assessment_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.standard}"


class EvidenceFile(models.Model):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="evidence"
    )
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["nomination", "standard", "id"]

    def __str__(self) -> str:
        return self.name


class NamingRecusal(models.Model):
    """An expert of the panel who may not score one nomination (the core's conflict rule)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="recusals"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["nomination", "expert"], name="naming_recusal_unique")]

    def __str__(self) -> str:
        return f"{self.expert} ✕ {self.nomination}"


class NamingScore(models.Model):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="scores"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    value = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("naming score")
        verbose_name_plural = _("naming scores")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "expert", "standard"], name="naming_score_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100), name="naming_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


class Objection(models.Model):
    """An objection lodged during the public notice (公示 异议), answered by the round's admin."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        UPHELD = "upheld", _("Upheld: the nomination is withdrawn")
        DISMISSED = "dismissed", _("Dismissed")

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="objections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lodged by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} → {self.nomination}"


class StudioTitle(models.Model):
    """A demonstration title (示范性创新工作室) a studio holds from a round; revoked (摘牌) after a
    failed re-assessment, and kept as history."""

    studio = models.ForeignKey(
        "orgs.Studio", verbose_name=_("studio"), on_delete=models.PROTECT, related_name="titles"
    )
    level = models.CharField(_("level"), max_length=20, choices=round_level_choices)
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.ForeignKey(
        NamingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="titles"
    )
    # The studio's level before the title raised it: where it returns to when the title is revoked.
    previous_level = models.CharField(_("previous level"), max_length=20)
    conferred_at = models.DateTimeField(_("conferred at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_in = models.ForeignKey(
        NamingRound,
        verbose_name=_("revoked in"),
        on_delete=models.PROTECT,
        related_name="revoked_titles",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("studio title")
        verbose_name_plural = _("studio titles")
        ordering = ["-year", "-conferred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "round"], name="studio_title_unique"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="studio_title_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.studio} {self.year} ({self.level})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NamingReminder(models.Model):
    """A reminder the periodic job sent (its unique constraint keeps it to one, however many
    runners): a leader whose self-assessment is due, an expert whose scoring is due."""

    class Kind(models.TextChoices):
        ASSESSMENT_DUE = "assessment_due", _("Self-assessment due")
        SCORING_DUE = "scoring_due", _("Scoring due")

    round = models.ForeignKey(
        NamingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("naming reminder")
        verbose_name_plural = _("naming reminders")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "kind"], name="naming_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user}"
