"""/api/v1/ routes of accounts."""

from django.urls import path

from .api import MeApi, PeopleApi
from .api_auth import ThrottledObtainAuthToken

urlpatterns = [
    path("auth/token/", ThrottledObtainAuthToken.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("people/", PeopleApi.as_view(), name="api-people"),
]
