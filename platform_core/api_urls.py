"""/api/v1/: the REST API. Each app keeps its routes in its own `api_urls.py`; a new app adds one
line here. Every view is thin: parse, call a service or selector, serialise."""

from django.urls import include, path

urlpatterns = [
    path("", include("platform_core.accounts.api_urls")),
    path("", include("platform_core.notifications.api_urls")),
    path("", include("platform_core.orgs.api_urls")),
    path("", include("platform_core.realtime.api_urls")),
    path("", include("platform_core.media.api_urls")),
    path("", include("challenges.api_urls")),
    path("", include("alliances.api_urls")),
    path("", include("alliances.learning.api_urls")),
    path("", include("showcase.api_urls")),
    path("", include("alliances.exchange.api_urls")),
    path("", include("alliances.consulting.api_urls")),
]
