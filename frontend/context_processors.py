import copy

from django.conf import settings
from django.db import connection

from alliances.selectors import rooms_of
from platform_core.notifications.selectors import notifications_for
from platform_core.realtime.models import Topic
from platform_core.realtime.selectors import topic_head


class PageTopicHead:
    """Where a page's live topic starts (the page subscribes from there), read with the layout's
    figures in their one query: a view registers it with `page_topic_head` and puts it in its
    context; the layout fills it in when the page renders. Printed without the layout (a page
    rendered without the context processor) it reads the head itself."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.value: int | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = topic_head(self.topic)
        return str(self.value)


def page_topic_head(request, topic: str) -> PageTopicHead:
    head = PageTopicHead(topic)
    request.__dict__.setdefault("_page_topic_heads", []).append(head)
    return head


def layout(request) -> dict:
    """What the page layout needs on every page: the bell's count, the chat badge and where the
    live stream starts. Three figures read in one query (every page pays for them)."""
    user = getattr(request, "user", None)
    context: dict[str, object] = {"platform_name": settings.SITE_NAME}
    if user is not None and user.is_authenticated:
        topic = f"user:{user.pk}"
        pending = [head for head in request.__dict__.get("_page_topic_heads", []) if head.value is None]
        notifications, chat, head, *page_heads = layout_figures(user, topic, [h.topic for h in pending])
        for page_head, value in zip(pending, page_heads, strict=True):
            page_head.value = value
        context.update(
            unread_notifications=notifications, unread_chat=chat, user_topic=topic, user_topic_head=head
        )
    return context


# A user id no account has: the layout's statement is built once for it, then run for each user
# with their id (and their topic's name) in its place (see `layout_statement`).
STAND_IN_ID = -7_310_000_001
_statements: dict[str, tuple[str, list]] = {}


def layout_figures(user, topic: str, page_topics: list[str] | None = None) -> tuple[int, ...]:
    """(unread notifications, unread chat messages, head of `topic`, then the head of each of
    `page_topics`) in one round trip."""
    sql, params = layout_statement(user, topic)
    table = connection.ops.quote_name(Topic._meta.db_table)
    for page_topic in page_topics or []:
        sql += f", COALESCE((SELECT head FROM {table} WHERE name = %s), 0)"  # noqa: S608  table name only
        params = [*params, page_topic]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(int(value) for value in cursor.fetchone())


def build_layout_statement(user, topic: str) -> tuple[str, list]:
    """The same querysets as `unread_count`, `unread_total` and `topic_head`, as the scalar
    subqueries of one SELECT (tests/pages/test_layout_queries.py holds them equal)."""
    unread = notifications_for(user).filter(read_at__isnull=True).values("pk")
    chat = rooms_of(user).values("unread")  # type: ignore[misc]  # an annotation, not a field
    head = Topic.objects.filter(name=topic).values("head")[:1]
    parts: list[str] = []
    params: list = []
    for template, queryset in (
        ("(SELECT COUNT(*) FROM ({}) AS unread_notifications)", unread),
        ("(SELECT COALESCE(SUM(unread), 0) FROM ({}) AS unread_chat)", chat),
        ("COALESCE(({}), 0)", head),
    ):
        sql, query_params = queryset.query.sql_with_params()
        parts.append(template.format(sql))
        params.extend(query_params)
    return "SELECT " + ", ".join(parts), params


def layout_statement(user, topic: str) -> tuple[str, list]:
    """`build_layout_statement` for an active user, without building it again: composing these
    querysets (the room membership rule has three subqueries) cost the ORM as much CPU as the
    whole `/api/v1/me/` request. Built once per process for a stand-in user; the statement is the
    same for every active user but for their id and topic name, put in place here."""
    if not user.is_active or topic != f"user:{user.pk}":
        return build_layout_statement(user, topic)
    cached = _statements.get(connection.vendor)
    if cached is None:
        stand_in = copy.copy(user)
        stand_in.pk = STAND_IN_ID
        cached = build_layout_statement(stand_in, f"user:{STAND_IN_ID}")
        _statements[connection.vendor] = cached
    sql, params = cached
    replaced = {STAND_IN_ID: user.pk, f"user:{STAND_IN_ID}": topic}
    return sql, [replaced.get(param, param) if isinstance(param, int | str) else param for param in params]
