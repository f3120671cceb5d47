"""/api/v1/ routes of naming rounds (included by orgs/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("naming-rounds/", api.RoundListApi.as_view(), name="api-naming-rounds"),
    path("naming-rounds/<int:pk>/", api.RoundDetailApi.as_view(), name="api-naming-round"),
    path(
        "naming-rounds/<int:pk>/nominations/", api.RoundNominationsApi.as_view(), name="api-naming-nominate"
    ),
    path(
        "naming-rounds/<int:pk>/<slug:action>/", api.RoundActionApi.as_view(), name="api-naming-round-action"
    ),
    path("naming-nominations/<int:pk>/", api.NominationDetailApi.as_view(), name="api-naming-nomination"),
    path(
        "naming-nominations/<int:pk>/assessment/",
        api.NominationAssessmentApi.as_view(),
        name="api-naming-assessment",
    ),
    path("naming-nominations/<int:pk>/scores/", api.NominationScoresApi.as_view(), name="api-naming-scores"),
    path(
        "naming-nominations/<int:pk>/objections/",
        api.NominationObjectionsApi.as_view(),
        name="api-naming-objections",
    ),
    path("studios/<int:pk>/titles/", api.StudioTitlesApi.as_view(), name="api-studio-titles"),
]
