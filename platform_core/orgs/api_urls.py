"""/api/v1/ routes of units and studios."""

from django.urls import include, path, re_path

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
from .import_api import ImportApi, ImportTemplateApi

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

# Spreadsheet imports (platform_core/orgs/import_api.py).
KINDS = "(?P<kind>units|studios|people)"
urlpatterns += [
    re_path(rf"^imports/{KINDS}/$", ImportApi.as_view(), name="api-import"),
    re_path(rf"^imports/{KINDS}/template/$", ImportTemplateApi.as_view(), name="api-import-template"),
]
