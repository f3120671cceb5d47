"""/api/v1/ routes of the realtime backbone."""

from django.urls import path

from .api import TopicEventsApi

urlpatterns = [
    path("realtime/events/", TopicEventsApi.as_view(), name="api-realtime-events"),
]
