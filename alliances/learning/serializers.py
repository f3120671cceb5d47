"""API shapes of the learning app. A quiz question carries its answers' ids and texts, never which
are right: the service marks a submission."""

from __future__ import annotations

from rest_framework import serializers

from .models import Course, Lesson


class CourseListOutput(serializers.ModelSerializer):
    studio = serializers.CharField(source="studio.name", default=None, allow_null=True, read_only=True)
    author = serializers.CharField(source="author.display_name", read_only=True)
    fields = serializers.SerializerMethodField(method_name="field_names")  # type: ignore[assignment]
    url = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "summary",
            "publisher",
            "studio",
            "author",
            "level",
            "hours",
            "state",
            "published_at",
            "fields",
            "url",
        ]

    def field_names(self, course) -> list[str]:
        return [field.name for field in course.fields.all()]

    def get_url(self, course) -> str:
        return f"/learning/{course.pk}/"


class LessonBriefOutput(serializers.ModelSerializer):
    has_quiz = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = ["id", "position", "title", "kind", "has_quiz", "done"]

    def get_has_quiz(self, lesson) -> bool:
        return bool(getattr(lesson, "question_count", 0))

    def get_done(self, lesson) -> bool:
        return lesson.pk in self.context.get("done_ids", set())


class EnrolmentOutput(serializers.Serializer):
    course = serializers.IntegerField(source="course_id")
    enrolled_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    hours = serializers.IntegerField(help_text="hours credited at completion (0 before)")
    certificate_url = serializers.SerializerMethodField()

    def get_certificate_url(self, enrolment) -> str | None:
        code = enrolment.certificate_code
        return f"/learning/certificates/{code}/" if code else None


class CourseDetailOutput(CourseListOutput):
    description = serializers.CharField()
    lessons = serializers.SerializerMethodField()
    enrolment = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text="percent of the lessons done by the viewer")
    can_edit = serializers.SerializerMethodField()
    can_enrol = serializers.SerializerMethodField()

    class Meta(CourseListOutput.Meta):
        fields = [
            *CourseListOutput.Meta.fields,
            "description",
            "lessons",
            "enrolment",
            "progress",
            "can_edit",
            "can_enrol",
        ]

    def _view(self):
        return self.context["view_of_course"]

    def get_lessons(self, course) -> list[dict]:
        view = self._view()
        if not view.can_read_lessons:
            return [
                {"id": lesson.pk, "position": lesson.position, "title": lesson.title}
                for lesson in view.lessons
            ]
        return list(LessonBriefOutput(view.lessons, many=True, context={"done_ids": view.done_ids}).data)

    def get_enrolment(self, course) -> dict | None:
        enrolment = self._view().enrolment
        return EnrolmentOutput(enrolment).data if enrolment is not None else None

    def get_progress(self, course) -> int:
        return self._view().progress

    def get_can_edit(self, course) -> bool:
        return self._view().can_edit

    def get_can_enrol(self, course) -> bool:
        return self._view().can_enrol


class CourseInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    level = serializers.ChoiceField(choices=Course.Level.choices, default=Course.Level.BEGINNER)
    hours = serializers.IntegerField(min_value=1, max_value=1000)
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), required=False, max_length=8
    )


class CourseCreateInput(CourseInput):
    publisher = serializers.ChoiceField(choices=Course.Publisher.choices)
    studio_id = serializers.IntegerField(required=False, help_text="with publisher `studio`")


class ChoiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuizQuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    multiple = serializers.BooleanField()
    choices = ChoiceOutput(many=True, source="choices.all")


class CourseFileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, stored) -> str:
        return f"/learning/files/{stored.pk}/"


class LessonDetailOutput(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.pk")
    course = serializers.IntegerField(source="course.pk")
    position = serializers.IntegerField(source="lesson.position")
    title = serializers.CharField(source="lesson.title")
    kind = serializers.ChoiceField(choices=Lesson.Kind.choices, source="lesson.kind")
    body = serializers.CharField(source="lesson.body")
    body_html = serializers.CharField(
        source="lesson.body_html", help_text="sanitised HTML of the Markdown body"
    )
    media_url = serializers.SerializerMethodField()
    captions_url = serializers.SerializerMethodField()
    pass_mark = serializers.IntegerField(source="lesson.pass_mark")
    questions = QuizQuestionOutput(many=True, help_text="the quiz, without which answers are right")
    files = serializers.SerializerMethodField()
    done = serializers.BooleanField()
    enrolled = serializers.SerializerMethodField()

    def get_media_url(self, view) -> str | None:
        return f"/learning/lessons/{view.lesson.pk}/media/media/" if view.lesson.media_id else None

    def get_captions_url(self, view) -> str | None:
        return f"/learning/lessons/{view.lesson.pk}/media/captions/" if view.lesson.captions_id else None

    def get_files(self, view) -> list[dict]:
        return list(CourseFileOutput([*view.images, *view.attachments], many=True).data)

    def get_enrolled(self, view) -> bool:
        return view.enrolment is not None


class LessonInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Lesson.Kind.choices, default=Lesson.Kind.TEXT)
    body = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    media_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    captions_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    pass_mark = serializers.IntegerField(required=False, min_value=1, max_value=100)


class QuizInput(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), max_length=8),
        help_text="{question id: [choice ids]}",
    )


class QuizResultOutput(serializers.Serializer):
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
    right = serializers.DictField(child=serializers.BooleanField(), help_text="question id: answered right")
    course_completed = serializers.SerializerMethodField()

    def get_course_completed(self, result) -> bool:
        return result.enrolment.is_complete


class EnrolmentListOutput(EnrolmentOutput):
    title = serializers.CharField(source="course.title")
    done_count = serializers.IntegerField()
    lesson_count = serializers.IntegerField()
