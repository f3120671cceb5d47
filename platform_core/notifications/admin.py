from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from platform_core.admin_base import ReadOnlyModelAdmin, SuperuserOnlyMixin

from .models import EmailSettings, Notification, OutgoingMail
from .outbox import mails_retry


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "mail_state"]
    search_fields = ["title", "recipient__username", "recipient__display_name"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]


@admin.register(EmailSettings)
class EmailSettingsAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    """Each person sets their own (notifications:email_settings): read only here."""

    list_display = ["user", "language", "updated_at"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    """The outbox, to see what was sent, what waits and why (the mail's text is private to its
    recipient: superusers only). "Send again" puts failed mails back in the queue."""

    list_display = ["created_at", "to_address", "subject", "state", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["state"]
    search_fields = ["to_address", "subject", "dedup_key"]
    list_select_related = ["recipient"]
    actions = ["retry"]

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        count = mails_retry(actor=request.user, mails=queryset)
        self.message_user(request, _("%(count)d mails put back in the queue.") % {"count": count})
