"""/api/v1/ routes of notifications."""

from django.urls import path

from .api import EmailPreferencesApi, NotificationListApi, NotificationReadAllApi, NotificationReadApi

urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
    path("me/notification-preferences/", EmailPreferencesApi.as_view(), name="api-notification-preferences"),
]
