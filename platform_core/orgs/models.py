"""Organisations: units (单位/企业) grouped under groups (集团), and innovation studios (创新工作室)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage

# Seed item 6: every unit with its own union committee and 300+ staff should have a studio.
COVERAGE_HEADCOUNT = 300


class Unit(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("Group (集团)")
        ENTERPRISE = "enterprise", _("Enterprise")
        INSTITUTE = "institute", _("Research institute")
        UNION = "union", _("Union body")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    has_union_committee = models.BooleanField(_("has its own union committee"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def coverage_required(self) -> bool:
        # A group's staff work in its member units, which are counted one by one.
        return (
            self.kind != self.Kind.GROUP and self.has_union_committee and self.headcount >= COVERAGE_HEADCOUNT
        )


class Studio(models.Model):
    class Type(models.TextChoices):
        SKILL = "skill", _("Skill and technique (技能技术型)")
        RESEARCH = "research", _("Research (科研型)")
        MANAGEMENT = "management", _("Management (管理型)")
        MARKETING = "marketing", _("Marketing (营销型)")
        SERVICE = "service", _("Service (服务型)")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National demonstration (全国示范性)")
        INDUSTRY = "industry", _("Industry (产业级)")
        GROUP = "group", _("Group (集团级)")
        PROVINCIAL = "provincial", _("Provincial or municipal (省市级)")
        GRASSROOTS = "grassroots", _("Grassroots (基层)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DELISTED = "delisted", _("Delisted (摘牌)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="studios")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.GRASSROOTS)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="led_studios",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="StudioMembership",
        related_name="studios",
        verbose_name=_("members"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    delisted_reason = models.TextField(_("reason for delisting"), blank=True)
    delisted_at = models.DateTimeField(_("delisted at"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    fields = models.JSONField(_("fields of work"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active") | ~models.Q(delisted_reason=""),
                name="studio_delisting_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def topic(self) -> str:
        return f"studio:{self.pk}"


class StudioMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader (领衔人)")
        CORE = "core", _("Core member")
        MEMBER = "member", _("Member")
        APPRENTICE = "apprentice", _("Apprentice")

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="studio_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("studio membership")
        verbose_name_plural = _("studio memberships")
        ordering = ["studio", "joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "user"], name="studio_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.studio} ({self.get_role_display()})"


def import_upload_to(instance: ImportJob, filename: str) -> str:
    # The stored name is the file's hash: what the preview showed is what the import reads.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{instance.sha256}.{suffix}"


class ImportJob(models.Model):
    """One spreadsheet a union admin imports: stored as sent, checked (the preview), then imported
    as it was checked, confirmed by its hash. The report and the progress are kept here."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Units")
        STUDIOS = "studios", _("Studios")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        REFUSED = "refused", _("Refused")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=import_upload_to, storage=private_storage)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # Rows checked so far (the page's progress bar; while writing, the cache holds it: see import_jobs).
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("rows imported"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING


# Demonstration naming and its dynamic management live in their own module (orgs/naming/).
from .naming.models import (  # noqa: E402
    AssessmentAnswer,
    EvidenceFile,
    NamingRecusal,
    NamingReminder,
    NamingRound,
    NamingScore,
    Nomination,
    Objection,
    StudioTitle,
)

__all__ = [
    "COVERAGE_HEADCOUNT",
    "AssessmentAnswer",
    "EvidenceFile",
    "ImportJob",
    "NamingRecusal",
    "NamingReminder",
    "NamingRound",
    "NamingScore",
    "Nomination",
    "Objection",
    "Studio",
    "StudioMembership",
    "StudioTitle",
    "Unit",
]
