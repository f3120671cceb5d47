"""API shapes of 经验交流 and of the learning and exchange search."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from platform_core.uploads import POST_IMAGE, help_text_lazy

from .models import Comment, Post, PostImage, Report
from .services import BODY_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX


class FieldOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PostListOutput(serializers.ModelSerializer):
    author = serializers.CharField(read_only=True)
    studio = serializers.CharField(source="studio.name", default=None, allow_null=True, read_only=True)
    fields = FieldOutput(many=True, read_only=True)  # type: ignore[assignment]  # DRF pops declared fields
    featured = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "author",
            "studio",
            "fields",
            "status",
            "featured",
            "published_at",
            "like_count",
            "comment_count",
        ]

    def get_featured(self, post: Post) -> bool:
        return post.featured_at is not None


class PostAccessOutput(serializers.Serializer):
    can_edit = serializers.BooleanField()
    can_delete = serializers.BooleanField()
    can_comment = serializers.BooleanField()
    can_read_comments = serializers.BooleanField()
    can_like = serializers.BooleanField()
    can_report = serializers.BooleanField()
    can_moderate = serializers.BooleanField()
    can_approve = serializers.BooleanField()
    can_feature = serializers.BooleanField()
    liked = serializers.BooleanField()
    favourited = serializers.BooleanField()


class PostDetailOutput(PostListOutput):
    class Meta(PostListOutput.Meta):
        fields = [*PostListOutput.Meta.fields, "body", "html", "hidden_reason", "updated_at"]


class PostInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    field_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=20
    )


class PostCreateInput(PostInput):
    studio_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ImageInput(serializers.Serializer):
    file = serializers.FileField(help_text=help_text_lazy(POST_IMAGE))


class ImageOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="the access-checked picture")
    markdown = serializers.SerializerMethodField(help_text="what places it in the post's text")

    class Meta:
        model = PostImage
        fields = ["id", "name", "size", "url", "markdown"]

    def get_url(self, image: PostImage) -> str:
        return reverse("exchange:image", args=[image.pk])

    def get_markdown(self, image: PostImage) -> str:
        return f"![{image.name}](image:{image.pk})"


class CommentOutput(serializers.ModelSerializer):
    author = serializers.CharField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "parent_id", "author", "body", "html", "status", "hidden_reason", "created_at"]


class ViewedCommentOutput(serializers.Serializer):
    """A comment as the viewer reads it, with what they may do to it."""

    id = serializers.IntegerField(source="comment.pk")
    parent_id = serializers.IntegerField(source="comment.parent_id", allow_null=True)
    author = serializers.CharField(source="comment.author")
    body = serializers.CharField(source="comment.body")
    html = serializers.CharField(source="comment.html")
    status = serializers.CharField(source="comment.status")
    hidden_reason = serializers.CharField(source="comment.hidden_reason")
    created_at = serializers.DateTimeField(source="comment.created_at")
    can_delete = serializers.BooleanField()
    can_report = serializers.BooleanField()
    can_moderate = serializers.BooleanField()
    can_reply = serializers.BooleanField()


class ThreadOutput(serializers.Serializer):
    comment = ViewedCommentOutput()
    replies = ViewedCommentOutput(many=True)


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    parent_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ToggleInput(serializers.Serializer):
    on = serializers.BooleanField(default=True)


class ReportReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class ModerateInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "hide"])
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class ReportOutput(serializers.ModelSerializer):
    reporter = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "post_id", "comment_id", "reporter", "reason", "state", "created_at"]


class HeldCommentOutput(CommentOutput):
    class Meta(CommentOutput.Meta):
        fields = [*CommentOutput.Meta.fields, "post_id", "held_words"]


class HeldPostOutput(PostListOutput):
    class Meta(PostListOutput.Meta):
        fields = [*PostListOutput.Meta.fields, "held_words"]


class QueueOutput(serializers.Serializer):
    held_posts = HeldPostOutput(many=True)
    held_comments = HeldCommentOutput(many=True)
    reports = ReportOutput(many=True)


class KnowledgeHitOutput(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(help_text="HTML: the title escaped, the query's terms in <mark>")
    snippet = serializers.CharField(
        help_text="HTML: the text around the first match, escaped, terms in <mark>"
    )
    url = serializers.CharField()
    when = serializers.DateTimeField()
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class KindFacetOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FieldFacetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class KnowledgeResultsOutput(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    offset = serializers.IntegerField()
    limit = serializers.IntegerField()
    capped = serializers.BooleanField()
    results = KnowledgeHitOutput(many=True, source="hits")
    kinds = KindFacetOutput(many=True)
    fields = FieldFacetOutput(many=True)  # type: ignore[assignment]  # DRF pops declared fields
