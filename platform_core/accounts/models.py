"""People: the custom user, expert profiles and union-admin grants."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a valid phone number."))


def avatar_upload_to(instance: User, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"avatars/{instance.pk}.{extension}"


class User(AbstractUser):
    class Source(models.TextChoices):
        """Where an account comes from: created on the platform, or from an enterprise directory
        (platform_core/accounts/directory.py), whose accounts have no local password."""

        LOCAL = "", _("Local account")
        LDAP = "ldap", _("LDAP / Active Directory")
        OIDC = "oidc", _("OpenID Connect portal")

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    job_title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    avatar = models.FileField(
        _("avatar"),
        upload_to=avatar_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    directory_source = models.CharField(
        _("account source"), max_length=10, choices=Source.choices, default=Source.LOCAL, blank=True
    )
    # The directory's stable id of the person (entryUUID, objectGUID, the OIDC subject): a renamed
    # person keeps their account.
    directory_id = models.CharField(_("directory id"), max_length=255, blank=True)
    # When the directory last returned the person (a sign-in or the periodic re-check).
    directory_seen_at = models.DateTimeField(_("last seen in the directory"), null=True, blank=True)
    # When the periodic re-check disabled the account because the directory no longer returned the
    # person; cleared when they sign in again. An account disabled by hand has none.
    directory_dropped_at = models.DateTimeField(_("dropped by the directory"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["directory_source", "directory_id"],
                condition=~models.Q(directory_source=""),
                name="user_directory_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(directory_source="") | ~models.Q(directory_id=""),
                name="user_directory_id_present",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name(self) -> str:
        return str(self)


class ExpertProfile(models.Model):
    """A member of an expert committee (专家咨询委员会 / 专业技术委员会)."""

    class Committee(models.TextChoices):
        ADVISORY = "advisory", _("Expert advisory committee")
        TECHNICAL = "technical", _("Professional technical committee")

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    committee = models.CharField(_("committee"), max_length=20, choices=Committee.choices)
    fields = models.JSONField(_("fields of expertise"), default=list, blank=True)
    title = models.CharField(_("professional title"), max_length=80, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Given by the directory's group mapping (platform_core/accounts/directory.py), which may also
    # take it back; a profile made by hand is never touched by the directory.
    from_directory = models.BooleanField(_("given by the directory"), default=False)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_committee_display()})"


class AdminGrant(models.Model):
    """What a union admin (工会管理员) manages: a group of units, a region, or both, and the level of
    union they act for (the national union opens national naming rounds, a group union group ones).
    A national grant covers every unit: the national union's scope is the whole platform."""

    class Level(models.TextChoices):
        # The values of orgs.Studio.Level a union acts at (a grassroots studio has no union level).
        NATIONAL = "national", _("National union")
        INDUSTRY = "industry", _("Industry union")
        GROUP = "group", _("Group union")
        PROVINCIAL = "provincial", _("Provincial or municipal union")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="admin_grants"
    )
    group = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="admin_grants",
    )
    region = models.CharField(_("region"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.GROUP)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    from_directory = models.BooleanField(_("given by the directory"), default=False)

    class Meta:
        verbose_name = _("union admin grant")
        verbose_name_plural = _("union admin grants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | ~models.Q(region="") | models.Q(level="national"),
                name="admin_grant_has_scope",
            ),
            models.UniqueConstraint(fields=["user", "group", "region"], name="admin_grant_unique"),
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(part) for part in (self.group, self.region) if part)
        return f"{self.user}: {scope}"


class PosterGrant(models.Model):
    """Staff allowed to post challenges on behalf of a unit (发榜单位)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="poster_grants"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="poster_grants"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    from_directory = models.BooleanField(_("given by the directory"), default=False)

    class Meta:
        verbose_name = _("enterprise poster grant")
        verbose_name_plural = _("enterprise poster grants")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="poster_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
