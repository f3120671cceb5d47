from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import Comment, Post, PostFavourite, PostImage, PostLike, Report, SensitiveWord


@admin.register(Post)
class PostAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "author", "status", "published_at", "featured_at", "deleted_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "post", "author", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Report)
class ReportAdmin(ReadOnlyModelAdmin):
    list_display = ["reason", "post", "comment", "reporter", "state", "created_at"]
    list_filter = ["state"]


@admin.register(PostLike)
class PostLikeAdmin(ReadOnlyModelAdmin):
    list_display = ["post", "user", "created_at"]


@admin.register(PostFavourite)
class PostFavouriteAdmin(ReadOnlyModelAdmin):
    list_display = ["post", "user", "created_at"]


@admin.register(PostImage)
class PostImageAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "post", "size", "created_at"]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(ReadOnlyModelAdmin):
    """Read only: the union admins manage the list in the pages (every change audited)."""

    list_display = ["word", "created_at"]
