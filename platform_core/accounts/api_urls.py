"""/api/v1/ routes of accounts."""

from django.urls import path

from .api import MeApi
from .api_auth import ThrottledObtainAuthToken

urlpatterns = [
    path("auth/token/", ThrottledObtainAuthToken.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
]
