"""The home page: platform figures, and for a signed-in user their studios and latest news.
(/healthz and /readyz are answered before Django, in platform_core/health.py.)"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path

from alliances.exchange.selectors import featured_posts
from platform_core.notifications.selectors import notifications_for
from platform_core.orgs import permissions as org_permissions
from platform_core.orgs import selectors as org_selectors
from platform_core.orgs import union

from ..charts import bar_chart
from .union import dashboard_context

app_name = "home"


def index(request):
    # The experience posts the union admins feature, on every home page.
    context: dict = {"featured_posts": featured_posts()}
    if request.user.is_authenticated:
        is_union_admin = org_permissions.is_union_admin(request.user)
        context.update(
            own_studios=org_selectors.own_studios(request.user),
            recent_notifications=notifications_for(request.user)[:5],
            is_union_admin=is_union_admin,
        )
        if is_union_admin:
            # A union admin's home is the dashboard of their scope.
            context.update(dashboard_context(union.dashboard(request.user)))
            return render(request, "frontend/home/dashboard.html", context)
    figures = org_selectors.studio_figures()
    context.update(
        figures=figures, level_chart=bar_chart(figures.by_level), type_chart=bar_chart(figures.by_type)
    )
    return render(request, "frontend/home/index.html", context)


urlpatterns = [
    path("", index, name="index"),
]
