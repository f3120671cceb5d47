"""The HTML pages: each area's module in `frontend/views/` brings its routes and URL namespace."""

from django.urls import include, path

urlpatterns = [
    path("", include("frontend.views.home")),
    path("", include("frontend.views.accounts")),
    path("password/reset/", include("frontend.views.password_reset")),
    path("oidc/", include("frontend.views.oidc")),
    path("notifications/", include("frontend.views.notifications")),
    path("", include("frontend.views.studios")),
    path("naming/", include("frontend.views.naming")),
    path("", include("frontend.views.challenges")),
    path("", include("frontend.views.showcase")),
    path("", include("frontend.views.exchange")),
    path("", include("frontend.views.teams")),
    path("", include("frontend.views.union")),
    path("", include("frontend.views.imports")),
    path("", include("frontend.views.learning")),
    path("", include("frontend.views.consulting")),
]
