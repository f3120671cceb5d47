"""/api/v1/ routes of 经验交流 and of the learning and exchange search, included once from
platform_core/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("exchange/posts/", api.PostListApi.as_view(), name="api-exchange-posts"),
    path("exchange/posts/<int:pk>/", api.PostDetailApi.as_view(), name="api-exchange-post"),
    path("exchange/posts/<int:pk>/images/", api.PostImagesApi.as_view(), name="api-exchange-images"),
    path("exchange/posts/<int:pk>/comments/", api.PostCommentsApi.as_view(), name="api-exchange-comments"),
    path("exchange/posts/<int:pk>/like/", api.PostLikeApi.as_view(), name="api-exchange-like"),
    path("exchange/posts/<int:pk>/favourite/", api.PostFavouriteApi.as_view(), name="api-exchange-favourite"),
    path("exchange/posts/<int:pk>/report/", api.PostReportApi.as_view(), name="api-exchange-report"),
    path("exchange/posts/<int:pk>/feature/", api.PostFeatureApi.as_view(), name="api-exchange-feature"),
    path("exchange/posts/<int:pk>/moderate/", api.PostModerateApi.as_view(), name="api-exchange-moderate"),
    path("exchange/comments/<int:pk>/", api.CommentApi.as_view(), name="api-exchange-comment"),
    path(
        "exchange/comments/<int:pk>/report/",
        api.CommentReportApi.as_view(),
        name="api-exchange-comment-report",
    ),
    path(
        "exchange/comments/<int:pk>/moderate/",
        api.CommentModerateApi.as_view(),
        name="api-exchange-comment-moderate",
    ),
    path(
        "exchange/reports/<int:pk>/dismiss/",
        api.ReportDismissApi.as_view(),
        name="api-exchange-report-dismiss",
    ),
    path("exchange/favourites/", api.FavouritesApi.as_view(), name="api-exchange-favourites"),
    path("exchange/moderation/", api.ModerationQueueApi.as_view(), name="api-exchange-queue"),
    path("knowledge/search/", api.KnowledgeSearchApi.as_view(), name="api-knowledge-search"),
]
