"""Courses in the Chinese gram index (platform_core/search.py explains it): the title, the summary
and the lessons' titles. A term in the title counts 2, in the summary 1."""

from __future__ import annotations

from platform_core.search import GramIndex, grams

COURSES = GramIndex(
    model="learning.Course",
    table="learning_course",
    gin_name="learning_course_search_gin",
    texts=("title", "summary", "lessons__title"),
    weights=(("title", 2), ("summary", 1)),
    phrase_texts=("title", "summary"),
)


def course_grams(course, lesson_titles: list[str]) -> str:
    return grams(course.title, course.summary, *lesson_titles)
