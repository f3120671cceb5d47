"""The showcase pages' routes (namespace `showcase`, under /showcase/). The views live by concern:
showcase_browse (list, detail, files, figures, records), showcase_achievements (an owner's
achievements), showcase_transfer (listings and inquiries), showcase_rounds (appraisals and
selections). They call selectors and services only; the rules are in showcase/permissions.py."""

from __future__ import annotations

from django.urls import path

from .showcase_achievements import create, edit, file_add, file_remove, mine, state_action
from .showcase_browse import detail, figures, file_download, showcase_list, studio_record
from .showcase_rounds import round_action, round_detail, round_open, rounds
from .showcase_transfer import inquiries, inquiry, inquiry_case, inquiry_send, inquiry_status, listing

app_name = "showcase"

urlpatterns = [
    path("showcase/", showcase_list, name="list"),
    path("showcase/mine/", mine, name="mine"),
    path("showcase/new/", create, name="create"),
    path("showcase/figures/", figures, name="figures"),
    path("showcase/<int:pk>/", detail, name="detail"),
    path("showcase/<int:pk>/edit/", edit, name="edit"),
    path("showcase/<int:pk>/files/", file_add, name="file_add"),
    path("showcase/<int:pk>/files/<int:file_id>/", file_download, name="file"),
    path("showcase/<int:pk>/files/<int:file_id>/remove/", file_remove, name="file_remove"),
    path("showcase/<int:pk>/listing/", listing, name="listing"),
    path("showcase/<int:pk>/inquire/", inquiry_send, name="inquire"),
    path("showcase/<int:pk>/<slug:action>/", state_action, name="state"),
    path("showcase/inquiries/", inquiries, name="inquiries"),
    path("showcase/inquiries/<int:pk>/", inquiry, name="inquiry"),
    path("showcase/inquiries/<int:pk>/status/", inquiry_status, name="inquiry_status"),
    path("showcase/inquiries/<int:pk>/case/", inquiry_case, name="inquiry_case"),
    path("showcase/rounds/", rounds, name="rounds"),
    path("showcase/rounds/new/", round_open, name="round_open"),
    path("showcase/rounds/<int:pk>/", round_detail, name="round"),
    path("showcase/rounds/<int:pk>/<slug:action>/", round_action, name="round_action"),
    path("showcase/studios/<int:pk>/record/", studio_record, name="studio_record"),
]
