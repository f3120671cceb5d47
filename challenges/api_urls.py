"""/api/v1/ routes of challenges, included once from platform_core/api_urls.py."""

from django.urls import path, re_path

from .api import bids, board, files, milestones, problems, reviews

urlpatterns = [
    path("challenges/", board.ChallengeListApi.as_view(), name="api-challenges"),
    path("challenges/<int:pk>/", board.ChallengeDetailApi.as_view(), name="api-challenge"),
    path(
        "challenges/<int:pk>/actions/<slug:action>/",
        board.ChallengeActionApi.as_view(),
        name="api-challenge-action",
    ),
    path("challenges/<int:pk>/bids/", bids.ChallengeBidsApi.as_view(), name="api-challenge-bids"),
    path("challenges/<int:pk>/experts/", reviews.ExpertsApi.as_view(), name="api-challenge-experts"),
    path("challenges/<int:pk>/conflict/", reviews.ConflictApi.as_view(), name="api-challenge-conflict"),
    path("challenges/<int:pk>/review/", reviews.ReviewApi.as_view(), name="api-challenge-review"),
    path("challenges/<int:pk>/scores/", reviews.ScoresApi.as_view(), name="api-challenge-scores"),
    path("challenges/<int:pk>/award/", reviews.AwardApi.as_view(), name="api-challenge-award"),
    path("challenges/<int:pk>/midterm/", reviews.MidtermApi.as_view(), name="api-challenge-midterm"),
    path(
        "challenges/<int:pk>/midterm-point/",
        reviews.MidtermPointApi.as_view(),
        name="api-challenge-midterm-point",
    ),
    path(
        "challenges/<int:pk>/milestones/", milestones.MilestonesApi.as_view(), name="api-challenge-milestones"
    ),
    path("challenges/<int:pk>/questions/", board.QuestionsApi.as_view(), name="api-challenge-questions"),
    path("challenges/<int:pk>/export.xlsx", reviews.ExportApi.as_view(), name="api-challenge-export"),
    path("bids/<int:pk>/", bids.BidDetailApi.as_view(), name="api-bid"),
    path("bids/<int:pk>/withdraw/", bids.BidWithdrawApi.as_view(), name="api-bid-withdraw"),
    path("bids/<int:pk>/shortlist/", reviews.ShortlistApi.as_view(), name="api-bid-shortlist"),
    path("bids/<int:pk>/clarifications/", bids.ClarificationsApi.as_view(), name="api-bid-clarifications"),
    path("bids/<int:pk>/reports/", bids.ProgressReportApi.as_view(), name="api-bid-reports"),
    path(
        "clarifications/<int:pk>/answer/",
        bids.ClarificationAnswerApi.as_view(),
        name="api-clarification-answer",
    ),
    path("questions/<int:pk>/answer/", board.QuestionAnswerApi.as_view(), name="api-question-answer"),
    path("milestones/<int:pk>/submit/", milestones.MilestoneSubmitApi.as_view(), name="api-milestone-submit"),
    path("milestones/<int:pk>/review/", milestones.MilestoneReviewApi.as_view(), name="api-milestone-review"),
    path(
        "milestones/<int:pk>/release/", milestones.MilestoneReleaseApi.as_view(), name="api-milestone-release"
    ),
    path("problems/", problems.ProblemsApi.as_view(), name="api-problems"),
    path("problems/draft-challenge/", problems.ProblemDraftApi.as_view(), name="api-problems-draft"),
    path("problems/<int:pk>/merge/", problems.ProblemMergeApi.as_view(), name="api-problem-merge"),
    path("problems/<int:pk>/reject/", problems.ProblemRejectApi.as_view(), name="api-problem-reject"),
    re_path(
        r"^(?P<kind>problems|challenges|bids|milestones)/(?P<pk>[0-9]+)/attachments/$",
        files.AttachmentUploadApi.as_view(),
        name="api-attachment-upload",
    ),
    path(
        "challenge-attachments/<int:pk>/",
        files.AttachmentDownloadApi.as_view(),
        name="api-challenge-attachment",
    ),
]
