"""Admin building blocks shared by the apps."""

from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records that only services write (audit entries, live events, memberships): admins may
    read and search them, never add, change or delete them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    """For records private to one user (their notifications): only superusers see or touch them in
    the admin, whatever model permissions a staff account holds. Who was told what, and when, can
    reveal what the platform keeps sealed (who bid on a challenge, before its deadline)."""

    @staticmethod
    def _superuser(request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request, obj=None):
        return self._superuser(request) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request):
        return self._superuser(request) and super().has_add_permission(request)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]
