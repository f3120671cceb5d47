"""/api/v1/ routes of the showcase, included once from platform_core/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("achievements/", api.AchievementListApi.as_view(), name="api-achievements"),
    path(
        "achievements/<int:pk>/actions/<slug:action>/",
        api.AchievementActionApi.as_view(),
        name="api-achievement-action",
    ),
    path("achievements/<int:pk>/listing/", api.ListingApi.as_view(), name="api-achievement-listing"),
    path("rounds/", api.RoundListApi.as_view(), name="api-rounds"),
    path("rounds/<int:pk>/", api.RoundDetailApi.as_view(), name="api-round"),
    path("rounds/<int:pk>/<slug:action>/", api.RoundActionApi.as_view(), name="api-round-action"),
    path("achievements/facets/", api.AchievementFacetsApi.as_view(), name="api-achievement-facets"),
    path("achievements/<int:pk>/", api.AchievementDetailApi.as_view(), name="api-achievement"),
    path("achievements/<int:pk>/files/", api.AchievementFileListApi.as_view(), name="api-achievement-files"),
    path(
        "achievements/<int:pk>/files/<int:file_id>/",
        api.AchievementFileApi.as_view(),
        name="api-achievement-file",
    ),
    path(
        "achievements/<int:pk>/inquiries/",
        api.AchievementInquiryApi.as_view(),
        name="api-achievement-inquiry",
    ),
    path("inquiries/", api.InquiryListApi.as_view(), name="api-inquiries"),
    path("inquiries/<int:pk>/", api.InquiryDetailApi.as_view(), name="api-inquiry"),
    path("inquiries/<int:pk>/status/", api.InquiryStatusApi.as_view(), name="api-inquiry-status"),
    path("inquiries/<int:pk>/case/", api.InquiryCaseApi.as_view(), name="api-inquiry-case"),
]
