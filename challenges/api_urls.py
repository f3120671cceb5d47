"""/api/v1/ routes of challenges, included once from platform_core/api_urls.py."""

from django.urls import path, re_path

from . import api

urlpatterns = [
    path("challenges/", api.ChallengeListApi.as_view(), name="api-challenges"),
    path("challenges/<int:pk>/", api.ChallengeDetailApi.as_view(), name="api-challenge"),
    path(
        "challenges/<int:pk>/actions/<slug:action>/",
        api.ChallengeActionApi.as_view(),
        name="api-challenge-action",
    ),
    path("challenges/<int:pk>/bids/", api.ChallengeBidsApi.as_view(), name="api-challenge-bids"),
    path("challenges/<int:pk>/experts/", api.ExpertsApi.as_view(), name="api-challenge-experts"),
    path("challenges/<int:pk>/conflict/", api.ConflictApi.as_view(), name="api-challenge-conflict"),
    path("challenges/<int:pk>/review/", api.ReviewApi.as_view(), name="api-challenge-review"),
    path("challenges/<int:pk>/scores/", api.ScoresApi.as_view(), name="api-challenge-scores"),
    path("challenges/<int:pk>/award/", api.AwardApi.as_view(), name="api-challenge-award"),
    path("challenges/<int:pk>/midterm/", api.MidtermApi.as_view(), name="api-challenge-midterm"),
    path(
        "challenges/<int:pk>/midterm-point/",
        api.MidtermPointApi.as_view(),
        name="api-challenge-midterm-point",
    ),
    path("challenges/<int:pk>/milestones/", api.MilestonesApi.as_view(), name="api-challenge-milestones"),
    path("challenges/<int:pk>/questions/", api.QuestionsApi.as_view(), name="api-challenge-questions"),
    path("challenges/<int:pk>/export.xlsx", api.ExportApi.as_view(), name="api-challenge-export"),
    path("bids/<int:pk>/", api.BidDetailApi.as_view(), name="api-bid"),
    path("bids/<int:pk>/withdraw/", api.BidWithdrawApi.as_view(), name="api-bid-withdraw"),
    path("bids/<int:pk>/shortlist/", api.ShortlistApi.as_view(), name="api-bid-shortlist"),
    path("bids/<int:pk>/clarifications/", api.ClarificationsApi.as_view(), name="api-bid-clarifications"),
    path("bids/<int:pk>/reports/", api.ProgressReportApi.as_view(), name="api-bid-reports"),
    path(
        "clarifications/<int:pk>/answer/",
        api.ClarificationAnswerApi.as_view(),
        name="api-clarification-answer",
    ),
    path("questions/<int:pk>/answer/", api.QuestionAnswerApi.as_view(), name="api-question-answer"),
    path("milestones/<int:pk>/submit/", api.MilestoneSubmitApi.as_view(), name="api-milestone-submit"),
    path("milestones/<int:pk>/review/", api.MilestoneReviewApi.as_view(), name="api-milestone-review"),
    path("milestones/<int:pk>/release/", api.MilestoneReleaseApi.as_view(), name="api-milestone-release"),
    path("problems/", api.ProblemsApi.as_view(), name="api-problems"),
    path("problems/draft-challenge/", api.ProblemDraftApi.as_view(), name="api-problems-draft"),
    path("problems/<int:pk>/merge/", api.ProblemMergeApi.as_view(), name="api-problem-merge"),
    path("problems/<int:pk>/reject/", api.ProblemRejectApi.as_view(), name="api-problem-reject"),
    re_path(
        r"^(?P<kind>problems|challenges|bids|milestones)/(?P<pk>[0-9]+)/attachments/$",
        api.AttachmentUploadApi.as_view(),
        name="api-attachment-upload",
    ),
    path(
        "challenge-attachments/<int:pk>/",
        api.AttachmentDownloadApi.as_view(),
        name="api-challenge-attachment",
    ),
]
