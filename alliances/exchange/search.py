"""Experience posts in the Chinese gram index (platform_core/search.py explains it), and the post
kind of the learning and exchange search (alliances/knowledge.py).

A term in the title counts 2, in the body 1; the field tags are searched, not scored.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliances.knowledge import KnowledgeHit, KnowledgeKind
from platform_core.search import GramIndex, grams, highlight

from .models import Post
from .rendering import plain_excerpt

POSTS = GramIndex(
    model="exchange.Post",
    table="exchange_post",
    gin_name="exchange_post_search_vector_gin",
    texts=("title", "body", "fields__name"),
    weights=(("title", 2), ("body", 1)),
    phrase_texts=("title", "body"),
)


def post_grams(post: Post, field_names: list[str]) -> str:
    return grams(post.title, post.body, *field_names)


def listed_posts(user) -> QuerySet:
    """The post kind's rows for the search: what the public list shows (the selector's rule)."""
    from .selectors import posts_listed

    return posts_listed()


def post_hit(post, query: str) -> KnowledgeHit:
    return KnowledgeHit(
        kind="post",
        title=highlight(post.title, query),
        snippet=highlight(plain_excerpt(post.body, 2000), query, around=60),
        url=reverse("exchange:detail", args=[post.pk]),
        when=post.published_at or post.created_at,
        fields=tuple(field.name for field in post.fields.all()),
    )


POST_KIND = KnowledgeKind(
    key="post",
    label=_("Experience posts"),
    index=POSTS,
    visible=listed_posts,
    fields_lookup="fields",
    hit=post_hit,
    date_field="published_at",
)
