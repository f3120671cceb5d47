"""HTML pages. Each view parses input, calls a selector or service, and renders: no rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from platform_core.accounts.services import user_profile_update
from platform_core.audit.selectors import audit_trail_of
from platform_core.http import client_ip
from platform_core.notifications import selectors as notification_selectors
from platform_core.notifications import services as notification_services
from platform_core.orgs import permissions as org_permissions
from platform_core.orgs import selectors as org_selectors
from platform_core.orgs import services as org_services
from platform_core.orgs.models import Studio, StudioMembership, Unit
from platform_core.realtime.selectors import topic_head

from .charts import bar_chart
from .forms import LoginForm, MemberAddForm, ProfileForm, StudioDelistForm, StudioEditForm, StudioFilterForm


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


class LoginView(auth_views.LoginView):
    template_name = "frontend/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    context: dict = {}
    active = Studio.objects.filter(status=Studio.Status.ACTIVE)
    by_level = dict(active.values_list("level").annotate(n=Count("id")))
    by_type = dict(active.values_list("type").annotate(n=Count("id")))
    context["level_chart"] = bar_chart(
        [(label, by_level.get(value, 0)) for value, label in Studio.Level.choices]
    )
    context["type_chart"] = bar_chart(
        [(label, by_type.get(value, 0)) for value, label in Studio.Type.choices]
    )
    context["studio_total"] = active.count()
    context["unit_total"] = Unit.objects.exclude(kind=Unit.Kind.GROUP).count()
    context["coverage"] = org_selectors.coverage()
    if request.user.is_authenticated:
        context["my_memberships"] = (
            StudioMembership.objects.filter(user=request.user)
            .exclude(studio__leader=request.user)
            .select_related("studio__unit")
            .order_by("studio__name")
        )
        context["led_studios"] = request.user.led_studios.select_related("unit")
        context["recent_notifications"] = notification_selectors.notifications_for(request.user)[:5]
        context["is_union_admin"] = org_permissions.is_union_admin(request.user)
    return render(request, "frontend/home.html", context)


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "frontend/profile.html",
        {
            "profile_user": user,
            "memberships": StudioMembership.objects.filter(user=user).select_related("studio__unit"),
            "expert_profile": getattr(user, "expert_profile", None),
            "admin_grants": user.admin_grants.select_related("group"),
            "poster_grants": user.poster_grants.select_related("unit"),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=form.save(commit=False), changed_fields=form.changed_data, ip_address=client_ip(request)
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "frontend/profile_edit.html", {"form": form})


@login_required
def notification_list(request):
    notifications = notification_selectors.notifications_for(request.user)
    show_unread = request.GET.get("unread") == "1"
    if show_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "frontend/notifications.html", {"page": page, "show_unread": show_unread})


@login_required
@require_POST
def notification_read(request, pk: int):
    get_object_or_404(notification_selectors.notifications_for(request.user), pk=pk)
    notification = notification_services.notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        return render(request, "frontend/_notification_item.html", {"notification": notification})
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request):
    marked = notification_services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": marked})
    return redirect("notifications")


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    studios = org_selectors.studio_directory(request.user, unit_id=unit.pk)
    children = unit.children.annotate(
        studio_count=Count("studios", filter=Q(studios__status=Studio.Status.ACTIVE))
    ).order_by("name")
    return render(
        request,
        "frontend/unit_detail.html",
        {
            "unit": unit,
            "studios": studios,
            "children": children,
            "covered": any(s.is_active and s.unit_id == unit.pk for s in studios),
        },
    )


@login_required
def studio_list(request):
    form = StudioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    studios = org_selectors.studio_directory(
        request.user,
        query=filters.get("q", ""),
        type=filters.get("type", ""),
        level=filters.get("level", ""),
    )
    page = Paginator(studios, 24).get_page(request.GET.get("page"))
    template = "frontend/_studio_results.html" if request.htmx else "frontend/studio_list.html"
    return render(request, template, {"form": form, "page": page})


def _studio_for_viewer(request, pk: int) -> Studio:
    studio = get_object_or_404(Studio.objects.select_related("unit__parent", "leader"), pk=pk)
    if not org_permissions.can_view_studio(request.user, studio):
        raise PermissionDenied
    return studio


def _studio_context(request, studio: Studio) -> dict:
    structure = org_selectors.studio_team_structure(studio, today_year=timezone.localdate().year)
    follows_live = org_permissions.can_follow_studio_live(request.user, studio)
    # The studio's own history: for its leader and the union admins over it.
    can_edit = org_permissions.can_edit_studio(request.user, studio)
    return {
        "studio": studio,
        "members": org_selectors.studio_members(studio),
        "structure": structure,
        "age_chart": bar_chart(structure.age_tiers),
        "role_chart": bar_chart(structure.roles),
        "can_manage": org_permissions.can_manage_members(request.user, studio),
        "can_edit": can_edit,
        "can_delist": org_permissions.can_delist_studio(request.user, studio) and studio.is_active,
        "follows_live": follows_live,
        "studio_topic_head": topic_head(studio.topic) if follows_live else None,
        "audit_trail": audit_trail_of(studio) if can_edit else [],
        "member_form": MemberAddForm(),
        "edit_form": StudioEditForm(
            initial={"description": studio.description, "work_fields": "，".join(studio.fields)}
        ),
        "delist_form": StudioDelistForm(),
    }


@login_required
def studio_detail(request, pk: int):
    studio = _studio_for_viewer(request, pk)
    return render(request, "frontend/studio_detail.html", _studio_context(request, studio))


@login_required
def studio_members_fragment(request, pk: int):
    studio = _studio_for_viewer(request, pk)
    return render(request, "frontend/_studio_members.html", _studio_context(request, studio))


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def studio_member_add(request, pk: int):
    studio = _studio_for_viewer(request, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            org_services.studio_member_add(
                actor=request.user,
                studio=studio,
                user=form.user,
                role=form.cleaned_data["role"],
                ip_address=client_ip(request),
            )
            messages.success(request, _("%(name)s has joined the studio.") % {"name": form.user})
        except ValidationError as error:
            _report(request, error)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("studio", pk=studio.pk)


@login_required
@require_POST
def studio_member_remove(request, pk: int, user_id: int):
    studio = _studio_for_viewer(request, pk)
    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        org_services.studio_member_remove(
            actor=request.user, studio=studio, user=user, ip_address=client_ip(request)
        )
        messages.success(request, _("%(name)s is no longer a member.") % {"name": user})
    except ValidationError as error:
        _report(request, error)
    if user == request.user:
        return redirect("studios")
    return redirect("studio", pk=studio.pk)


@login_required
@require_POST
def studio_edit(request, pk: int):
    studio = _studio_for_viewer(request, pk)
    form = StudioEditForm(request.POST)
    if form.is_valid():
        org_services.studio_update(
            actor=request.user,
            studio=studio,
            description=form.cleaned_data["description"],
            fields=form.cleaned_data["work_fields"],
            ip_address=client_ip(request),
        )
        messages.success(request, _("The studio has been updated."))
    else:
        messages.error(request, _("Please correct the errors in the form."))
    return redirect("studio", pk=studio.pk)


@login_required
@require_POST
def studio_delist(request, pk: int):
    studio = _studio_for_viewer(request, pk)
    form = StudioDelistForm(request.POST)
    if form.is_valid():
        try:
            org_services.studio_delist(
                actor=request.user,
                studio=studio,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
            messages.success(request, _("The studio has been delisted."))
        except ValidationError as error:
            _report(request, error)
    else:
        messages.error(request, _("Give the reason for delisting."))
    return redirect("studio", pk=studio.pk)
