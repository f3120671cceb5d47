"""/api/v1/: the REST API. Every view is thin: parse, call a service or selector, serialise."""

from django.urls import include, path

from platform_core.accounts.api import MeApi
from platform_core.accounts.api_auth import ThrottledObtainAuthToken
from platform_core.notifications.api import NotificationListApi, NotificationReadAllApi, NotificationReadApi
from platform_core.orgs.api import (
    StudioDetailApi,
    StudioListApi,
    StudioMemberApi,
    StudioMembersApi,
    UnitDetailApi,
    UnitListApi,
)
from platform_core.realtime.api import TopicEventsApi

urlpatterns = [
    path("auth/token/", ThrottledObtainAuthToken.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
    path("units/", UnitListApi.as_view(), name="api-units"),
    path("units/<int:pk>/", UnitDetailApi.as_view(), name="api-unit"),
    path("studios/", StudioListApi.as_view(), name="api-studios"),
    path("studios/<int:pk>/", StudioDetailApi.as_view(), name="api-studio"),
    path("studios/<int:pk>/members/", StudioMembersApi.as_view(), name="api-studio-members"),
    path("studios/<int:pk>/members/<int:user_id>/", StudioMemberApi.as_view(), name="api-studio-member"),
    path("realtime/events/", TopicEventsApi.as_view(), name="api-realtime-events"),
    path("", include("challenges.api_urls")),
]
