"""Who may see and do what in 经验交流. The one place these rules live.

- A published post is open to everyone, anonymous visitors included. A post held for review
  (pending) or hidden is seen by its author and by the moderators over its unit; a deleted post
  by nobody.
- Moderators: union admins over the post's unit (its studio's unit, or its author's), and
  superusers. They approve or hide held texts, hide reported ones, dismiss reports and feature
  published posts on the home page.
- Comments need an account: a signed-in reader of a published post reads its published comments
  (and their own pending or hidden ones; the moderators read all). Signed-in users comment, like,
  favourite and report a published post; nobody reports their own text.
- The author edits and deletes their own post (not while it is hidden), and deletes their own
  comments.
- The sensitive-words list is managed by any union admin (it is one list for the platform).
"""

from __future__ import annotations

from django.db.models import Q

from platform_core.orgs.permissions import admin_covers_unit, admin_scope_filter, is_union_admin

from .models import Comment, Post, Status


def _signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def moderated_posts_filter(user, post_path: str = "") -> Q:
    """The posts `user` moderates (on `post_path`, e.g. "post__" from a comment); none for who is no
    union admin."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return admin_scope_filter(user, f"{post_path}unit")


def posts_visible_filter(user) -> Q:
    """The posts `user` may open: published ones; their own held or hidden ones; those the user
    moderates. Never a deleted one."""
    shown = Q(deleted_at__isnull=True)
    if _signed_in(user) and user.is_superuser:
        # (Spelled out: an empty Q in an OR would be dropped, not read as "every row".)
        return shown
    rule = Q(status=Status.PUBLISHED)
    if _signed_in(user):
        rule |= Q(author=user) | moderated_posts_filter(user)
    return shown & rule


def posts_listed_filter() -> Q:
    """What the public list, the search and the home page show: published, not deleted."""
    return Q(status=Status.PUBLISHED, deleted_at__isnull=True)


def can_see_post(user, post: Post) -> bool:
    return Post.objects.filter(posts_visible_filter(user), pk=post.pk).exists()


def can_moderate_post(user, post: Post) -> bool:
    if not _signed_in(user) or post.deleted_at is not None:
        return False
    if user.is_superuser:
        return True
    return post.unit is not None and admin_covers_unit(user, post.unit)


def is_moderator(user) -> bool:
    """Whether the moderation queue is offered at all (its content is then scoped)."""
    return is_union_admin(user)


def can_manage_sensitive_words(user) -> bool:
    return is_union_admin(user)


def can_write_post(user) -> bool:
    return _signed_in(user)


def is_author(user, post: Post) -> bool:
    return _signed_in(user) and post.author_id == user.pk


def can_edit_post(user, post: Post) -> bool:
    return is_author(user, post) and post.deleted_at is None and post.status != Status.HIDDEN


def can_delete_post(user, post: Post) -> bool:
    return is_author(user, post) and post.deleted_at is None


def can_take_part(user, post: Post) -> bool:
    """Comment, like, favourite: a signed-in user, on a published post."""
    return _signed_in(user) and post.is_published


def can_read_comments(user, post: Post) -> bool:
    return _signed_in(user) and can_see_post(user, post)


def comments_visible_filter(user, post: Post) -> Q:
    """The comments of `post` that `user` reads (the post itself already seen by them)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    rule = Q(post=post, deleted_at__isnull=True)
    if can_moderate_post(user, post):
        return rule
    return rule & (Q(status=Status.PUBLISHED) | Q(author=user))


def can_see_comment(user, comment: Comment) -> bool:
    return (
        can_see_post(user, comment.post)
        and Comment.objects.filter(comments_visible_filter(user, comment.post), pk=comment.pk).exists()
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return _signed_in(user) and comment.author_id == user.pk and comment.deleted_at is None


def can_report_post(user, post: Post) -> bool:
    return can_take_part(user, post) and post.author_id != user.pk


def can_report_comment(user, comment: Comment) -> bool:
    return (
        _signed_in(user)
        and comment.post.is_published
        and comment.is_published
        and comment.author_id != user.pk
    )


def can_feature_post(user, post: Post) -> bool:
    return post.is_published and can_moderate_post(user, post)


def can_approve_post(user, post: Post) -> bool:
    return post.status == Status.PENDING and can_moderate_post(user, post)


def can_moderate_comment(user, comment: Comment) -> bool:
    return comment.deleted_at is None and can_moderate_post(user, comment.post)
