"""Routes of the consultation API, relative to /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("consultations/", api.ConsultationListApi.as_view(), name="api-consultations"),
    path("consultations/<int:pk>/", api.ConsultationDetailApi.as_view(), name="api-consultation"),
    path("consultations/<int:pk>/take/", api.ConsultationTakeApi.as_view(), name="api-consultation-take"),
    path(
        "consultations/<int:pk>/assign/", api.ConsultationAssignApi.as_view(), name="api-consultation-assign"
    ),
    path(
        "consultations/<int:pk>/answer/", api.ConsultationAnswerApi.as_view(), name="api-consultation-answer"
    ),
    path("consultations/<int:pk>/close/", api.ConsultationCloseApi.as_view(), name="api-consultation-close"),
    path("consultations/<int:pk>/rate/", api.ConsultationRateApi.as_view(), name="api-consultation-rate"),
    path(
        "consultations/<int:pk>/publish/",
        api.ConsultationPublishApi.as_view(),
        name="api-consultation-publish",
    ),
    path("committees/", api.CommitteeListApi.as_view(), name="api-committees"),
    path("committees/<slug:code>/", api.CommitteeDetailApi.as_view(), name="api-committee"),
    path("qa/", api.QAListApi.as_view(), name="api-qa"),
    path("qa/<int:pk>/", api.QADetailApi.as_view(), name="api-qa-entry"),
]
