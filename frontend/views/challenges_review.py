"""The URLs of the challenge pages after bidding, in the `challenges` URL namespace (challenges.py
includes them). The views live by concern: review_workspace (scores, shortlist, clarifying
questions), review_experts, review_award, milestones (evidence, progress, the mid-term review of
a race) and problems."""

from __future__ import annotations

from django.urls import path

from .milestones import (
    midterm_point,
    midterm_review,
    milestone_release,
    milestone_review,
    milestone_submit,
    milestones_page,
)
from .problems import problem_draft, problem_list, problem_merge, problem_reject
from .review_award import award
from .review_experts import assign_expert
from .review_workspace import clarify, declare_conflict, review, score, shortlist

urlpatterns = [
    path("challenges/<int:pk>/review/", review, name="review"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/score/", score, name="score"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/shortlist/", shortlist, name="shortlist"),
    path("challenges/<int:pk>/review/bids/<int:bid_id>/clarify/", clarify, name="clarify"),
    path("challenges/<int:pk>/review/experts/", assign_expert, name="assign_expert"),
    path("challenges/<int:pk>/review/conflict/", declare_conflict, name="conflict"),
    path("challenges/<int:pk>/award/", award, name="award"),
    path("challenges/<int:pk>/milestones/", milestones_page, name="milestones"),
    path("challenges/<int:pk>/milestones/midterm-point/", midterm_point, name="midterm_point"),
    path("challenges/<int:pk>/milestones/midterm-review/", midterm_review, name="midterm_review"),
    path("milestones/<int:pk>/submit/", milestone_submit, name="milestone_submit"),
    path("milestones/<int:pk>/review/", milestone_review, name="milestone_review"),
    path("milestones/<int:pk>/release/", milestone_release, name="milestone_release"),
    path("problems/", problem_list, name="problems"),
    path("problems/draft/", problem_draft, name="problem_draft"),
    path("problems/<int:pk>/merge/", problem_merge, name="problem_merge"),
    path("problems/<int:pk>/reject/", problem_reject, name="problem_reject"),
]
