"""The learning pages (namespace `learning`, under /learning/): the public catalogue, a course with
its lessons, live sessions, enrolment and progress, a member's learning record and the printable
certificate. They call selectors and services only; the rules are in
alliances/learning/permissions.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.learning import permissions, selectors
from alliances.learning.models import Course, CourseFile, Question
from alliances.learning.services import courses, progress, sessions
from platform_core.http import client_ip
from platform_core.orgs.models import Studio
from platform_core.private_storage import private_file_response

from ..learning_forms import (
    CourseCreateForm,
    CourseForm,
    LessonForm,
    QuestionForm,
    QuizForm,
    RecordingForm,
    SessionForm,
)
from .forms_flow import form_saved, page_status, perform

app_name = "learning"


def _course_url(pk: int) -> str:
    return reverse("learning:course", args=[pk])


def _lesson_url(pk: int) -> str:
    return reverse("learning:lesson", args=[pk])


def catalogue(request):
    filters = selectors.CatalogueFilters.from_params(request.GET)
    page = Paginator(selectors.catalogue(request.user, filters), selectors.CATALOGUE_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/catalogue.html",
        {
            "filters": filters,
            "page": page,
            "facets": selectors.catalogue_facets(request.user, filters),
            "can_publish": bool(permissions.publisher_choices(request.user)),
        },
    )


def _publisher(key: str) -> tuple[str, Studio | None]:
    if key.startswith("studio:") and key[7:].isdigit():
        return Course.Publisher.STUDIO, Studio.objects.filter(pk=int(key[7:])).first()
    return key, None


@login_required
def course_new(request):
    publishers = permissions.publisher_choices(request.user)
    form = CourseCreateForm(publishers=publishers)
    if request.method == "POST":
        form = CourseCreateForm(request.POST, publishers=publishers)
        created: list[Course] = []

        def act() -> str:
            publisher, studio = _publisher(form.cleaned_data["publisher"])
            created.append(
                courses.course_create(
                    actor=request.user,
                    publisher=publisher,
                    studio=studio,
                    ip_address=client_ip(request),
                    **form.service_data(),
                )
            )
            return _("The course is saved as a draft. Add its lessons, then publish it.")

        if form.is_valid() and form_saved(request, form, act):
            return redirect(_course_url(created[0].pk))
    return render(
        request,
        "learning/course_form.html",
        {"form": form, "publishers": publishers},
        status=page_status(form),
    )


def course(request, pk: int):
    view = selectors.course_for(request.user, pk)
    return render(request, "learning/course.html", {"view": view, "course": view.course})


@login_required
def course_edit(request, pk: int):
    view = selectors.course_for(request.user, pk)
    if not view.can_edit:
        raise PermissionDenied
    course = view.course
    initial = {
        "title": course.title,
        "summary": course.summary,
        "description": course.description,
        "level": course.level,
        "hours": course.hours,
        "work_fields": "，".join(field.name for field in course.fields.all()),
    }
    form = CourseForm(initial=initial)
    if request.method == "POST":
        form = CourseForm(request.POST)

        def act() -> str:
            courses.course_update(
                actor=request.user, course=course, ip_address=client_ip(request), **form.service_data()
            )
            return _("The course is saved.")

        if form.is_valid() and form_saved(request, form, act):
            return redirect(_course_url(pk))
    return render(
        request, "learning/course_form.html", {"form": form, "course": course}, status=page_status(form)
    )


@login_required
@require_POST
def course_publish(request, pk: int):
    view = selectors.course_for(request.user, pk)

    def act() -> str:
        courses.course_publish(actor=request.user, course=view.course, ip_address=client_ip(request))
        return _("The course is published in the catalogue.")

    return perform(request, act, then=_course_url(pk))


@login_required
@require_POST
def enrol(request, pk: int):
    view = selectors.course_for(request.user, pk)

    def act() -> str:
        progress.enrol(actor=request.user, course=view.course, ip_address=client_ip(request))
        return _("You are enrolled. Work through the lessons in any order.")

    return perform(request, act, then=_course_url(pk))


# Lessons ----------------------------------------------------------------------------------------


def _lesson_form_page(request, *, course, lesson_view=None, form=None, question_form=None, status=200):
    return render(
        request,
        "learning/lesson_form.html",
        {
            "course": course,
            "lesson_view": lesson_view,
            "lesson": lesson_view.lesson if lesson_view else None,
            "form": form,
            "question_form": question_form or QuestionForm(),
        },
        status=status,
    )


@login_required
def lesson_new(request, pk: int):
    view = selectors.course_for(request.user, pk)
    if not view.can_edit:
        raise PermissionDenied
    form = LessonForm(user=request.user)
    if request.method == "POST":
        form = LessonForm(request.POST, user=request.user)
        created = []

        def act() -> str:
            created.append(
                courses.lesson_add(
                    actor=request.user, course=view.course, ip_address=client_ip(request), **form.cleaned_data
                )
            )
            return _("The lesson is added.")

        if form.is_valid() and form_saved(request, form, act):
            return redirect(reverse("learning:lesson_edit", args=[created[0].pk]))
    return _lesson_form_page(request, course=view.course, form=form, status=page_status(form))


def _editable_lesson(request, pk: int):
    view = selectors.lesson_for(request.user, pk)
    if not view.can_edit:
        raise PermissionDenied
    return view


@login_required
def lesson_edit(request, pk: int):
    view = _editable_lesson(request, pk)
    lesson = view.lesson
    form = LessonForm(user=request.user, lesson=lesson)
    if request.method == "POST":
        form = LessonForm(request.POST, user=request.user, lesson=lesson)

        def act() -> str:
            courses.lesson_update(
                actor=request.user, lesson=lesson, ip_address=client_ip(request), **form.cleaned_data
            )
            return _("The lesson is saved.")

        if form.is_valid() and form_saved(request, form, act):
            return redirect(reverse("learning:lesson_edit", args=[pk]))
    return _lesson_form_page(
        request, course=view.course, lesson_view=view, form=form, status=page_status(form)
    )


@login_required
@require_POST
def lesson_move(request, pk: int, direction: str):
    view = selectors.lesson_for(request.user, pk)

    def act() -> str:
        courses.lesson_move(
            actor=request.user, lesson=view.lesson, direction=direction, ip_address=client_ip(request)
        )
        return _("The lesson is moved.")

    return perform(request, act, then=_course_url(view.course.pk))


@login_required
@require_POST
def question_add(request, pk: int):
    view = _editable_lesson(request, pk)
    question_form = QuestionForm(request.POST)

    def act() -> str:
        courses.question_add(
            actor=request.user,
            lesson=view.lesson,
            ip_address=client_ip(request),
            **question_form.service_data(),
        )
        return _("The question is added to the quiz.")

    if question_form.is_valid() and form_saved(request, question_form, act):
        return redirect(reverse("learning:lesson_edit", args=[pk]))
    form = LessonForm(user=request.user, lesson=view.lesson)
    return _lesson_form_page(
        request, course=view.course, lesson_view=view, form=form, question_form=question_form, status=400
    )


@login_required
@require_POST
def question_remove(request, pk: int):
    question = get_object_or_404(
        Question.objects.filter(lesson__in=selectors.lesson_queryset(request.user)).select_related(
            "lesson__course"
        ),
        pk=pk,
    )

    def act() -> str:
        courses.question_remove(actor=request.user, question=question, ip_address=client_ip(request))
        return _("The question is removed.")

    return perform(request, act, then=reverse("learning:lesson_edit", args=[question.lesson_id]))


@login_required
@require_POST
def lesson_file_add(request, pk: int):
    view = selectors.lesson_for(request.user, pk)
    upload = request.FILES.get("file")

    def act() -> str:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        courses.lesson_file_add(
            actor=request.user,
            lesson=view.lesson,
            upload=upload,
            kind=request.POST.get("kind", ""),
            ip_address=client_ip(request),
        )
        return _("The file is added.")

    return perform(request, act, then=reverse("learning:lesson_edit", args=[pk]))


@login_required
def lesson(request, pk: int):
    view = selectors.lesson_for(request.user, pk)
    quiz = QuizForm(questions=view.questions) if view.can_take_quiz else None
    return render(request, "learning/lesson.html", {"view": view, "lesson": view.lesson, "quiz": quiz})


@login_required
@require_POST
def lesson_done(request, pk: int):
    view = selectors.lesson_for(request.user, pk)

    def act() -> str:
        enrolment = progress.lesson_mark_done(actor=request.user, lesson=view.lesson)
        if enrolment.is_complete:
            return _("Course completed. Your certificate is ready.")
        return _("Lesson done.")

    return perform(request, act, then=_lesson_url(pk))


@login_required
@require_POST
def quiz_submit(request, pk: int):
    view = selectors.lesson_for(request.user, pk)
    form = QuizForm(request.POST, questions=view.questions)
    if not form.is_valid():
        return render(
            request, "learning/lesson.html", {"view": view, "lesson": view.lesson, "quiz": form}, status=400
        )

    def act() -> str:
        result = progress.quiz_submit(actor=request.user, lesson=view.lesson, answers=form.answers())
        if not result.passed:
            raise ValidationError(
                _("You scored %(score)d%%; the pass mark is %(mark)d%%. Read the lesson again and retry.")
                % {"score": result.score, "mark": result.pass_mark}
            )
        if result.enrolment.is_complete:
            return _("You scored %(score)d%% and passed. Course completed.") % {"score": result.score}
        return _("You scored %(score)d%% and passed.") % {"score": result.score}

    return perform(request, act, then=_lesson_url(pk))


def _play(request, media_file):
    # The media app's range-serving response (platform_core/media/serving.py, branch `media`):
    # the access check is ours, done by the selector before this.
    from platform_core.media.serving import media_response

    return media_response(request, media_file)


@login_required
def lesson_media(request, pk: int, which: str):
    return _play(request, selectors.lesson_media(request.user, pk, which))


def course_file(request, pk: int):
    stored = selectors.course_file_for(request.user, pk)
    return private_file_response(
        stored.file, filename=stored.name, as_attachment=stored.kind != CourseFile.Kind.IMAGE
    )


# Live sessions ----------------------------------------------------------------------------------


@login_required
def session_new(request, pk: int):
    view = selectors.course_for(request.user, pk)
    if not view.can_edit:
        raise PermissionDenied
    form = SessionForm()
    if request.method == "POST":
        form = SessionForm(request.POST)
        created = []

        def act() -> str:
            created.append(
                sessions.session_schedule(
                    actor=request.user, course=view.course, ip_address=client_ip(request), **form.cleaned_data
                )
            )
            return _("The live session is scheduled; its room is open.")

        if form.is_valid() and form_saved(request, form, act):
            return redirect(reverse("learning:session", args=[created[0].pk]))
    return render(
        request, "learning/session_form.html", {"form": form, "course": view.course}, status=page_status(form)
    )


@login_required
def session(request, pk: int):
    view = selectors.session_for(request.user, pk)
    return render(
        request,
        "learning/session.html",
        {
            "view": view,
            "session": view.session,
            "recording_form": RecordingForm(user=request.user) if view.can_edit else None,
        },
    )


@login_required
@require_POST
def session_slides_add(request, pk: int):
    view = selectors.session_for(request.user, pk)
    upload = request.FILES.get("file")

    def act() -> str:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        sessions.session_slides_add(
            actor=request.user, session=view.session, upload=upload, ip_address=client_ip(request)
        )
        return _("The slides are added.")

    return perform(request, act, then=reverse("learning:session", args=[pk]))


@login_required
@require_POST
def session_recording(request, pk: int):
    view = selectors.session_for(request.user, pk)
    if not view.can_edit:
        raise PermissionDenied
    form = RecordingForm(request.POST, user=request.user)

    def act() -> str:
        sessions.session_recording_attach(
            actor=request.user,
            session=view.session,
            media_id=form.cleaned_data["recording"],
            ip_address=client_ip(request),
        )
        return _("The recording is attached.")

    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect(reverse("learning:session", args=[pk]))
    return perform(request, act, then=reverse("learning:session", args=[pk]))


@login_required
def session_recording_play(request, pk: int):
    return _play(request, selectors.session_recording(request.user, pk))


# Records and certificates -----------------------------------------------------------------------


@login_required
def record(request, user_id: int | None = None):
    person = request.user if user_id is None else selectors.person_for_record(request.user, user_id)
    return render(
        request,
        "learning/record.html",
        {"record": selectors.learning_record(person), "is_self": person.pk == request.user.pk},
    )


def certificate(request, code: str):
    enrolment = selectors.certificate_for(code)
    return render(
        request,
        "learning/certificate.html",
        {
            "enrolment": enrolment,
            "course": enrolment.course,
            "verify_url": request.build_absolute_uri(
                reverse("learning:certificate", args=[enrolment.certificate_code])
            ),
        },
    )


urlpatterns = [
    path("learning/", catalogue, name="catalogue"),
    path("learning/new/", course_new, name="course_new"),
    path("learning/record/", record, name="record"),
    path("learning/people/<int:user_id>/", record, name="person_record"),
    path("learning/certificates/<slug:code>/", certificate, name="certificate"),
    path("learning/<int:pk>/", course, name="course"),
    path("learning/<int:pk>/edit/", course_edit, name="course_edit"),
    path("learning/<int:pk>/publish/", course_publish, name="course_publish"),
    path("learning/<int:pk>/enrol/", enrol, name="enrol"),
    path("learning/<int:pk>/lessons/new/", lesson_new, name="lesson_new"),
    path("learning/<int:pk>/sessions/new/", session_new, name="session_new"),
    path("learning/lessons/<int:pk>/", lesson, name="lesson"),
    path("learning/lessons/<int:pk>/edit/", lesson_edit, name="lesson_edit"),
    path("learning/lessons/<int:pk>/move/<slug:direction>/", lesson_move, name="lesson_move"),
    path("learning/lessons/<int:pk>/questions/", question_add, name="question_add"),
    path("learning/lessons/<int:pk>/files/", lesson_file_add, name="lesson_file_add"),
    path("learning/lessons/<int:pk>/done/", lesson_done, name="lesson_done"),
    path("learning/lessons/<int:pk>/quiz/", quiz_submit, name="quiz_submit"),
    path("learning/lessons/<int:pk>/media/<slug:which>/", lesson_media, name="lesson_media"),
    path("learning/questions/<int:pk>/remove/", question_remove, name="question_remove"),
    path("learning/files/<int:pk>/", course_file, name="file"),
    path("learning/sessions/<int:pk>/", session, name="session"),
    path("learning/sessions/<int:pk>/slides/", session_slides_add, name="session_slides_add"),
    path("learning/sessions/<int:pk>/recording/", session_recording, name="session_recording"),
    path("learning/sessions/<int:pk>/recording/play/", session_recording_play, name="session_recording_play"),
]
