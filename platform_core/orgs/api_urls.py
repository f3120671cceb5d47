"""/api/v1/ routes of units and studios."""

from django.urls import include, path

from .api import (
    CoverageApi,
    DashboardApi,
    StudioDetailApi,
    StudioListApi,
    StudioMemberApi,
    StudioMembersApi,
    UnitDetailApi,
    UnitListApi,
)

urlpatterns = [
    path("coverage/", CoverageApi.as_view(), name="api-coverage"),
    path("dashboard/", DashboardApi.as_view(), name="api-dashboard"),
    path("units/", UnitListApi.as_view(), name="api-units"),
    path("units/<int:pk>/", UnitDetailApi.as_view(), name="api-unit"),
    path("studios/", StudioListApi.as_view(), name="api-studios"),
    path("studios/<int:pk>/", StudioDetailApi.as_view(), name="api-studio"),
    path("studios/<int:pk>/members/", StudioMembersApi.as_view(), name="api-studio-members"),
    path("studios/<int:pk>/members/<int:user_id>/", StudioMemberApi.as_view(), name="api-studio-member"),
    path("", include("platform_core.orgs.naming.api_urls")),
]
