"""The user's notifications: the list, marking one or all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_core.notifications import selectors, services

from .forms_flow import perform

app_name = "notifications"


@login_required
def notification_list(request):
    notifications = selectors.notifications_for(request.user)
    show_unread = request.GET.get("unread") == "1"
    if show_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "frontend/notifications/list.html", {"page": page, "show_unread": show_unread})


@login_required
@require_POST
def read(request, pk: int):
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        return render(request, "frontend/notifications/_item.html", {"notification": notification})
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    def mark() -> str:
        marked = services.notification_mark_all_read(user=request.user)
        return _("%(count)d notifications marked as read.") % {"count": marked}

    return perform(request, mark, then="notifications:list")


urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:pk>/read/", read, name="read"),
    path("read-all/", read_all, name="read_all"),
]
