"""The achievement showcase (成果展示): achievements, appraisal and selection rounds, transfer.

Every write goes through services.py; who sees what is in permissions.py and selectors.py. The
models hold data and what the database itself must guarantee: an achievement belongs to one
studio or one team, one listing per achievement, one score per expert, entry and criterion, one
transfer case per inquiry.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from challenges.storage import private_storage


class FieldTag(models.Model):
    """A field of work an achievement is tagged with (a facet of the showcase)."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("field tag")
        verbose_name_plural = _("field tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Award(models.TextChoices):
    """What a round can give an achievement, best first (the order ranks badges)."""

    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    APPRAISED = "appraised", _("Appraised")


AWARD_ORDER = {award: position for position, award in enumerate(Award.values)}


class Achievement(models.Model):
    class Type(models.TextChoices):
        TECHNICAL = "technical", _("Technical innovation")
        MANAGEMENT = "management", _("Management innovation")
        SERVICE = "service", _("Service innovation")
        INSTITUTIONAL = "institutional", _("Institutional innovation")
        OPERATING_METHOD = "operating_method", _("Advanced operating method")
        MASTER_SKILL = "master_skill", _("Master skill")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for publication")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    studio = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievements",
    )
    team = models.ForeignKey(
        "alliances.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievements",
    )
    # The owner's unit, kept here so the unit facet and filter need no join through two paths.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="achievements"
    )
    source_outcome = models.OneToOneField(
        "challenges.ChallengeOutcome",
        verbose_name=_("from the challenge outcome"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievement",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("full description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    fields = models.ManyToManyField(
        FieldTag, verbose_name=_("fields"), related_name="achievements", blank=True
    )
    economic_benefit = models.DecimalField(
        _("economic benefit (yuan per year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    benefit_method = models.TextField(_("how the benefit was measured"), blank=True)
    other_benefits = models.TextField(_("other benefits"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    state_reason = models.TextField(_("reason of the last return or withdrawal"), blank=True)
    # Kept by the services: the best award a published round gave, whether a round appraised it,
    # whether it has a patent. Facets count them without a join.
    award = models.CharField(_("best award"), max_length=20, choices=Award.choices, blank=True)
    has_patent = models.BooleanField(_("has a patent"), default=False)
    # Unigrams and bigrams of title, summary and description (search.py): what the full-text
    # index serves, on PostgreSQL through a GIN index, on SQLite through an FTS5 table.
    search_grams = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Newest first, ties by id: the order of the list and of the search window
            # (selectors.RESULT_WINDOW), walked in the index without sorting the matches.
            models.Index(fields=["state", "-published_at", "-id"], name="achievement_state_newest"),
            models.Index(fields=["state", "type"], name="achievement_state_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(studio__isnull=False, team__isnull=True)
                | models.Q(studio__isnull=True, team__isnull=False),
                name="achievement_from_studio_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(economic_benefit__isnull=True) | models.Q(economic_benefit__gte=0),
                name="achievement_benefit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.studio if self.studio is not None else self.team

    @property
    def owner_lead(self):
        """The user who speaks for the owner: the studio's leader or the team's lead."""
        if self.studio is not None:
            return self.studio.leader
        assert self.team is not None, "an achievement belongs to a studio or a team"
        return self.team.lead

    @property
    def owner_lead_id(self) -> int:
        if self.studio is not None:
            return self.studio.leader_id
        assert self.team is not None, "an achievement belongs to a studio or a team"
        return self.team.lead_id

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Contributor(models.Model):
    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="contributors"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievement_contributions",
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["achievement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["achievement", "position"], name="contributor_position_unique"),
            models.CheckConstraint(condition=models.Q(share__gt=0, share__lte=100), name="contributor_share"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.share}%"


class Patent(models.Model):
    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        UTILITY = "utility", _("Utility model")
        DESIGN = "design", _("Design patent")
        SOFTWARE = "software", _("Software copyright")
        OTHER = "other", _("Other IP")

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        GRANTED = "granted", _("Granted")
        EXPIRED = "expired", _("Expired")

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="patents"
    )
    number = models.CharField(_("number"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("patent or IP")
        verbose_name_plural = _("patents and IP")
        ordering = ["achievement", "id"]
        constraints = [models.UniqueConstraint(fields=["achievement", "number"], name="patent_number_unique")]

    def __str__(self) -> str:
        return self.number


def achievement_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the owner nor the original file name.
    return f"showcase/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class AchievementFile(models.Model):
    """An image or attachment, in private storage: a draft's files are as private as the draft,
    so every file is read through the access-checked view."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        ATTACHMENT = "attachment", _("Attachment")

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=achievement_upload_to, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("achievement file")
        verbose_name_plural = _("achievement files")
        ordering = ["achievement", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """An appraisal (成果鉴定) or selection (成果评选) round run by a union admin."""

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("Appraisal")
        SELECTION = "selection", _("Selection")

    class Status(models.TextChoices):
        OPEN = "open", _("Scoring open")
        CLOSED = "closed", _("Scoring closed")
        PUBLISHED = "published", _("Results published")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("scoring starts on"))
    ends_on = models.DateField(_("scoring ends on"))
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("expert panel"), related_name="showcase_rounds", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal or selection round")
        verbose_name_plural = _("appraisal and selection rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="round_schedule"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RoundCriterion(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight (%)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("round criterion")
        verbose_name_plural = _("round criteria")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="round_criterion_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100), name="round_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class RoundEntry(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entries"
    )
    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.PROTECT, related_name="round_entries"
    )
    result = models.CharField(_("result"), max_length=20, choices=Award.choices, blank=True)

    class Meta:
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "achievement"], name="round_entry_unique")]

    def __str__(self) -> str:
        return f"{self.achievement} @ {self.round}"


class Recusal(models.Model):
    """An expert of the panel who may not score one entry (the challenges' conflict rule)."""

    entry = models.ForeignKey(
        RoundEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="recusals"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="recusal_unique")]

    def __str__(self) -> str:
        return f"{self.expert} ✕ {self.entry}"


class RoundScore(models.Model):
    entry = models.ForeignKey(
        RoundEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="scores"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(
        RoundCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("round score")
        verbose_name_plural = _("round scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "expert", "criterion"], name="round_score_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100), name="round_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


# Technology readiness levels, as the listing form and the detail page explain them.
TRL_MEANINGS = {
    1: _("Basic principles observed"),
    2: _("Technology concept formulated"),
    3: _("Proof of concept by analysis or experiment"),
    4: _("Validated in the laboratory"),
    5: _("Validated in a relevant environment"),
    6: _("Prototype demonstrated in a relevant environment"),
    7: _("Prototype demonstrated in operation"),
    8: _("System complete and qualified"),
    9: _("Proven in actual operation"),
}


class TransferListing(models.Model):
    """A published achievement offered for transfer (成果转化)."""

    class Mode(models.TextChoices):
        LICENCE = "licence", _("Licence")
        SALE = "sale", _("Sale")
        JOINT = "joint", _("Joint development")
        SERVICE = "service", _("Technical service")

    achievement = models.OneToOneField(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="listing"
    )
    maturity = models.PositiveSmallIntegerField(
        _("maturity (TRL)"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    # One column per mode: the facet counts them in one aggregate on every database.
    mode_licence = models.BooleanField(_("licence"), default=False)
    mode_sale = models.BooleanField(_("sale"), default=False)
    mode_joint = models.BooleanField(_("joint development"), default=False)
    mode_service = models.BooleanField(_("technical service"), default=False)
    price = models.DecimalField(
        _("price (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    regions = models.CharField(_("regions it suits"), max_length=200, blank=True)
    industries = models.CharField(_("industries it suits"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("open to inquiries"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transfer listing")
        verbose_name_plural = _("transfer listings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maturity__gte=1, maturity__lte=9), name="listing_trl_range"
            ),
            models.CheckConstraint(
                condition=models.Q(mode_licence=True)
                | models.Q(mode_sale=True)
                | models.Q(mode_joint=True)
                | models.Q(mode_service=True),
                name="listing_has_a_mode",
            ),
        ]

    def __str__(self) -> str:
        return str(self.achievement)

    @property
    def modes(self) -> list[str]:
        return [mode for mode in self.Mode.values if getattr(self, f"mode_{mode}")]

    @property
    def mode_labels(self) -> list[str]:
        return [str(self.Mode(mode).label) for mode in self.modes]

    @property
    def maturity_meaning(self) -> str:
        return str(TRL_MEANINGS[self.maturity])

    @property
    def is_negotiable(self) -> bool:
        return self.price is None


class Inquiry(models.Model):
    """An enterprise user's inquiry about a listing; the owner and the inquirer negotiate."""

    class Status(models.TextChoices):
        NEW = "new", _("Not yet answered")
        DISCUSSING = "discussing", _("In discussion")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")

    listing = models.ForeignKey(
        TransferListing, verbose_name=_("listing"), on_delete=models.PROTECT, related_name="inquiries"
    )
    inquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inquirer"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    mode = models.CharField(_("mode of interest"), max_length=20, choices=TransferListing.Mode.choices)
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    status_note = models.TextField(_("note on the last status change"), blank=True)
    thread_opened_at = models.DateTimeField(_("negotiation thread opened at"), null=True, blank=True)
    # The negotiation thread: a private room of the alliances chat, its members the inquirer and
    # the owner's lead (showcase.services.transfer.inquiry_thread keeps them so).
    room = models.OneToOneField(
        "alliances.Room",
        verbose_name=_("negotiation room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiry",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def topic(self) -> str:
        return f"inquiry:{self.pk}"


class TransferCase(models.Model):
    """The outcome of an agreed inquiry: counted in the transfer statistics."""

    inquiry = models.OneToOneField(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.PROTECT, related_name="case"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=TransferListing.Mode.choices)
    value = models.DecimalField(
        _("contract value (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    concluded_on = models.DateField(_("concluded on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer case")
        verbose_name_plural = _("transfer cases")
        ordering = ["-concluded_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="transfer_case_value")]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.value}"
