"""The "course" kind of the alliance's learning and exchange search (alliances/knowledge.py): the
catalogue's own rule says who sees which course."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alliances.knowledge import KnowledgeHit, KnowledgeKind, register
from platform_core.search import highlight

from .search import COURSES
from .selectors import courses_visible


def course_hit(course, query: str) -> KnowledgeHit:
    return KnowledgeHit(
        kind="course",
        title=highlight(course.title, query),
        snippet=highlight(course.summary, query, around=60),
        url=f"/learning/{course.pk}/",
        when=course.published_at or course.created_at,
        fields=tuple(field.name for field in course.fields.all()),
    )


COURSE_KIND = KnowledgeKind(
    key="course",
    label=_("Courses"),
    index=COURSES,
    visible=courses_visible,
    fields_lookup="fields",
    hit=course_hit,
    date_field="created_at",
)


def register_kind() -> None:
    register(COURSE_KIND)
