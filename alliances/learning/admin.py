"""Read-only admin pages: courses change only through their services (rules, audit). Quiz answers
and attempts are for superusers only."""

from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin, SuperuserOnlyMixin

from .models import (
    Choice,
    Course,
    CourseFile,
    Enrolment,
    Lesson,
    LessonDone,
    LiveSession,
    Question,
    QuizAttempt,
    SessionReminder,
)


@admin.register(Course)
class CourseAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "publisher", "studio", "author", "state", "hours", "published_at"]
    list_filter = ["state", "publisher", "level"]
    search_fields = ["title", "summary"]
    list_select_related = ["studio", "author"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "course", "position", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]


@admin.register(CourseFile)
class CourseFileAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "kind", "lesson", "session", "size", "created_at"]
    list_filter = ["kind"]


@admin.register(Question)
class QuestionAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    list_display = ["text", "lesson", "position", "multiple"]


@admin.register(Choice)
class ChoiceAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    list_display = ["text", "question", "correct"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "course", "enrolled_at", "completed_at", "hours", "certificate_code"]
    list_filter = ["completed_at"]
    search_fields = ["user__username", "course__title", "certificate_code"]
    list_select_related = ["user", "course"]


@admin.register(LessonDone)
class LessonDoneAdmin(ReadOnlyModelAdmin):
    list_display = ["enrolment", "lesson", "done_at"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(SuperuserOnlyMixin, ReadOnlyModelAdmin):
    list_display = ["enrolment", "lesson", "score", "passed", "created_at"]


@admin.register(LiveSession)
class LiveSessionAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "course", "starts_at", "duration_minutes"]
    list_select_related = ["course"]


@admin.register(SessionReminder)
class SessionReminderAdmin(ReadOnlyModelAdmin):
    list_display = ["session", "user", "sent_at"]
