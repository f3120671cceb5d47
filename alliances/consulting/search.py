"""Public Q&A in the Chinese gram index (platform_core/search.py explains it), and its kind in the
learning and exchange search (alliances/knowledge.py). A term in the title counts 2, in the
question 1; the answer and the field tags are searched, not scored."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliances import knowledge
from platform_core.search import GramIndex, grams, highlight

from .models import QAEntry

QA = GramIndex(
    model="consulting.QAEntry",
    table="consulting_qaentry",
    gin_name="qaentry_search_vector_gin",
    texts=("title", "question_text", "answer_text", "fields__name"),
    weights=(("title", 2), ("question_text", 1)),
    phrase_texts=("title", "question_text", "answer_text"),
)


def entry_grams(entry, field_names: list[str]) -> str:
    return grams(entry.title, entry.question_text, entry.answer_text, *field_names)


def qa_visible(user):
    """Every public Q&A entry, for anyone (anonymous visitors included): the list page, its API and
    the combined search read this."""
    return QAEntry.objects.all()


def qa_hit(entry, query: str) -> knowledge.KnowledgeHit:
    return knowledge.KnowledgeHit(
        kind="qa",
        title=highlight(entry.title, query),
        snippet=highlight(entry.question_text, query, around=60),
        url=reverse("consulting:qa_detail", args=[entry.pk]),
        when=entry.published_at,
        fields=tuple(field.name for field in entry.fields.all()),
    )


def register_knowledge_kind() -> None:
    knowledge.register(
        knowledge.KnowledgeKind(
            key="qa",
            label=_("Public Q&A"),
            index=QA,
            visible=qa_visible,
            fields_lookup="fields",
            hit=qa_hit,
            date_field="published_at",
        )
    )
