from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from platform_core.http import client_ip
from platform_core.images import reencode_avatar
from platform_core.uploads import AVATAR, PolicyFileField

from .models import AdminGrant, ExpertProfile, PosterGrant, User
from .services import user_set_active


class ExpertProfileInline(admin.StackedInline):
    model = ExpertProfile
    extra = 0
    readonly_fields = ["from_directory"]


class AdminGrantInline(admin.TabularInline):
    model = AdminGrant
    extra = 0
    autocomplete_fields = ["group"]
    readonly_fields = ["from_directory"]


class PosterGrantInline(admin.TabularInline):
    model = PosterGrant
    extra = 0
    autocomplete_fields = ["unit"]
    readonly_fields = ["from_directory"]


class UserChangeForm(BaseUserChangeForm):
    """An avatar uploaded by an admin meets the policy a user's own upload does, and is stored
    decoded and encoded afresh (the admin saves the model, not through the profile service)."""

    avatar = PolicyFileField(
        kind=AVATAR,
        label=User._meta.get_field("avatar").verbose_name,
        required=False,
        widget=AdminFileWidget,
    )

    class Meta(BaseUserChangeForm.Meta):
        model = User

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):  # a new upload, not the stored picture
            return reencode_avatar(avatar)
        return avatar


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    list_display = ["username", "display_name", "unit", "job_title", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "directory_source", "unit"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Platform profile"),
            {"fields": ("display_name", "unit", "job_title", "phone", "birth_year", "avatar")},
        ),
        (
            _("Enterprise directory"),
            {"fields": ("directory_source", "directory_id", "directory_seen_at", "directory_dropped_at")},
        ),
    )
    # Set by the directory sign-in (accounts/directory.py) only.
    readonly_fields = ["directory_source", "directory_id", "directory_seen_at", "directory_dropped_at"]
    inlines = [ExpertProfileInline, AdminGrantInline, PosterGrantInline]
    actions = ["disable_accounts"]

    @admin.action(description=_("Disable the selected accounts"), permissions=["change"])
    def disable_accounts(self, request, queryset) -> None:
        # One by one through the service (not queryset.update): each gets its audit entry, and its
        # sessions and open websockets end.
        for user in queryset:
            user_set_active(actor=request.user, user=user, active=False, ip_address=client_ip(request))
        self.message_user(request, _("The selected accounts have been disabled."))


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "committee", "title", "active", "from_directory"]
    list_filter = ["committee", "active", "from_directory"]
    readonly_fields = ["from_directory"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]


@admin.register(AdminGrant)
class AdminGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "region", "level", "granted_at", "from_directory"]
    list_filter = ["level", "from_directory"]
    readonly_fields = ["from_directory"]
    autocomplete_fields = ["user", "group"]


@admin.register(PosterGrant)
class PosterGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "granted_at", "from_directory"]
    list_filter = ["from_directory"]
    autocomplete_fields = ["user", "unit"]
    readonly_fields = ["from_directory"]
