"""The user's notifications: the list, marking one or all read, the e-mail settings, and the
unsubscribe link of the mails."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.notifications import selectors, services
from platform_core.notifications.kinds import kind_of

from ..notification_forms import EmailSettingsForm
from .forms_flow import form_saved, page_status, perform

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


@login_required
def email_settings(request):
    """The person's own e-mail settings (no URL names anyone else)."""
    preferences = selectors.email_preferences_for(request.user)
    form = EmailSettingsForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.email_settings_update(
                user=request.user, modes=form.modes(), language=form.cleaned_data["language"]
            )
            return _("Your e-mail settings have been saved.")

        if form_saved(request, form, save):
            return redirect("notifications:email_settings")
    return render(
        request,
        "frontend/notifications/email_settings.html",
        {"form": form, "has_address": preferences.has_address},
        status=page_status(form),
    )


# The link in a mail works without logging in, and a mail client's one-click POST (RFC 8058) carries
# neither session nor CSRF token: the signed token in the URL is the proof, and all it can do is
# turn e-mail off for its own person. A GET only shows what the POST would do.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "POST":
        user, keys = services.email_unsubscribe(token=token)
        done = True
    else:
        user, keys = services.unsubscribe_target(token)
        done = False
    return render(
        request,
        "frontend/notifications/unsubscribe.html",
        {
            "done": done,
            "labels": [kind_of(key).label for key in keys],
            "address": user.email,
            "own": request.user.is_authenticated and request.user.pk == user.pk,
        },
    )


urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:pk>/read/", read, name="read"),
    path("read-all/", read_all, name="read_all"),
    path("email/", email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
