"""Every read of 经验交流 that depends on who asks. `post_for` is the one door to a post: the page,
the API and the live topic all fetch through it (a missing post and one the viewer may not see
are the same 404)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliances.models import FieldOfWork

from . import permissions
from .models import Comment, Post, PostFavourite, PostImage, PostLike, Report, SensitiveWord, Status
from .search import POSTS

FEATURED_ON_HOME = 3


@dataclass
class PostAccess:
    """What the viewer may do with the post (the permission functions' answers, for the page,
    the API and the templates)."""

    can_edit: bool = False
    can_delete: bool = False
    can_comment: bool = False
    can_read_comments: bool = False
    can_like: bool = False
    can_report: bool = False
    can_moderate: bool = False
    can_approve: bool = False
    can_feature: bool = False
    liked: bool = False
    favourited: bool = False


@dataclass
class PostForViewer:
    post: Post
    access: PostAccess = field(default_factory=PostAccess)


def _posts() -> QuerySet:
    return Post.objects.select_related("author", "studio").prefetch_related("fields")


def posts_listed() -> QuerySet:
    return Post.objects.filter(permissions.posts_listed_filter())


def post_for(user, pk: int) -> PostForViewer:
    post = get_object_or_404(_posts().filter(permissions.posts_visible_filter(user)), pk=pk)
    signed_in = user.is_authenticated
    access = PostAccess(
        can_edit=permissions.can_edit_post(user, post),
        can_delete=permissions.can_delete_post(user, post),
        can_comment=permissions.can_take_part(user, post),
        can_read_comments=signed_in,
        can_like=permissions.can_take_part(user, post),
        can_report=permissions.can_report_post(user, post),
        can_moderate=permissions.can_moderate_post(user, post),
        can_approve=permissions.can_approve_post(user, post),
        can_feature=permissions.can_feature_post(user, post),
        liked=signed_in and PostLike.objects.filter(post=post, user=user).exists(),
        favourited=signed_in and PostFavourite.objects.filter(post=post, user=user).exists(),
    )
    return PostForViewer(post=post, access=access)


def post_list(*, query: str = "", field_id: int | None = None) -> QuerySet:
    """The public list: published posts, newest first, or the best matches of `query` first."""
    posts = _posts().filter(permissions.posts_listed_filter())
    if field_id:
        posts = posts.filter(fields=field_id)
    if query.strip():
        return POSTS.search(posts, query).order_by("-relevance", "-published_at", "-pk")
    return posts.order_by("-published_at", "-pk")


def my_posts(user) -> QuerySet:
    """The author's own posts in every state but deleted (held and hidden ones say so)."""
    return _posts().filter(author=user, deleted_at__isnull=True).order_by("-created_at", "-pk")


def favourites_of(user) -> QuerySet:
    """The posts `user` keeps as favourites that are still published, most recently kept first."""
    return (
        _posts()
        .filter(permissions.posts_listed_filter(), favourites__user=user)
        .order_by("-favourites__created_at", "-pk")
    )


def featured_posts(limit: int = FEATURED_ON_HOME) -> list[Post]:
    return list(
        _posts()
        .filter(permissions.posts_listed_filter(), featured_at__isnull=False)
        .order_by("-featured_at", "-pk")[:limit]
    )


@dataclass
class CommentForViewer:
    """A comment with what the viewer may do to it (the permission functions' answers)."""

    comment: Comment
    can_delete: bool = False
    can_report: bool = False
    can_moderate: bool = False
    can_reply: bool = False


@dataclass
class Thread:
    comment: CommentForViewer
    replies: list[CommentForViewer]


def comments_for(user, post: Post) -> list[Thread]:
    """The comments of a post the viewer reads, as threads (top comments, each with its replies),
    in two queries whatever their number. Anonymous visitors read none (comments need an
    account)."""
    if not permissions.can_read_comments(user, post):
        return []
    rows = list(
        Comment.objects.filter(permissions.comments_visible_filter(user, post))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    may_moderate = permissions.can_moderate_post(user, post)
    viewed: list[CommentForViewer] = []
    for comment in rows:
        comment.post = post
        viewed.append(
            CommentForViewer(
                comment=comment,
                can_delete=permissions.can_delete_comment(user, comment),
                can_report=permissions.can_report_comment(user, comment),
                can_moderate=may_moderate and comment.is_published,
                can_reply=comment.parent_id is None and comment.is_published and post.is_published,
            )
        )
    threads: dict[int, Thread] = {}
    for entry in viewed:
        if entry.comment.parent_id is None:
            threads[entry.comment.pk] = Thread(comment=entry, replies=[])
    for entry in viewed:
        parent_id = entry.comment.parent_id
        if parent_id is not None and parent_id in threads:
            threads[parent_id].replies.append(entry)
    return list(threads.values())


def comment_for(user, pk: int) -> Comment:
    """A comment the viewer reads (404 otherwise, alike for a missing one)."""
    comment = get_object_or_404(Comment.objects.select_related("post", "author", "post__unit"), pk=pk)
    if not permissions.can_see_comment(user, comment):
        raise Http404
    return comment


@dataclass
class Queue:
    held_posts: list[Post]
    held_comments: list[Comment]
    reports: list[Report]

    @property
    def is_empty(self) -> bool:
        return not (self.held_posts or self.held_comments or self.reports)


def moderation_queue(user, limit: int = 100) -> Queue:
    """What waits for the moderator, within their scope: held posts and comments, open reports."""
    held_posts = (
        _posts()
        .filter(permissions.moderated_posts_filter(user), status=Status.PENDING, deleted_at__isnull=True)
        .order_by("created_at", "pk")[:limit]
    )
    held_comments = (
        Comment.objects.filter(
            permissions.moderated_posts_filter(user, "post__"),
            status=Status.PENDING,
            deleted_at__isnull=True,
            post__deleted_at__isnull=True,
        )
        .select_related("author", "post")
        .order_by("created_at", "pk")[:limit]
    )
    reports = (
        Report.objects.filter(
            permissions.moderated_posts_filter(user, "post__"),
            state=Report.State.OPEN,
            post__deleted_at__isnull=True,
        )
        .select_related("reporter", "post", "comment", "comment__author", "post__author")
        .order_by("created_at", "pk")[:limit]
    )
    return Queue(held_posts=list(held_posts), held_comments=list(held_comments), reports=list(reports))


def report_for_moderator(user, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.filter(permissions.moderated_posts_filter(user, "post__")).select_related(
            "post", "comment"
        ),
        pk=pk,
    )


def sensitive_words() -> QuerySet:
    return SensitiveWord.objects.order_by("word")


def fields_of_work() -> QuerySet:
    return FieldOfWork.objects.order_by("name")


def post_image_for(user, pk: int):
    """A picture of a post the viewer may open (404 otherwise, alike for a missing one)."""
    return get_object_or_404(
        PostImage.objects.filter(post__in=Post.objects.filter(permissions.posts_visible_filter(user))),
        pk=pk,
    )
