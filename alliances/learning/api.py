"""/api/v1/ of the learning app: the public catalogue and course details (the same selectors as
the pages), lessons, enrolment, progress, lessons done and quiz submissions. Thin: selectors and
services; the same permissions as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip
from platform_core.orgs.models import Studio

from . import selectors
from . import serializers as s
from .services import courses, progress


def _course_detail(request, pk: int) -> dict:
    view = selectors.course_for(request.user, pk)
    return s.CourseDetailOutput(view.course, context={"view_of_course": view}).data


def _lesson_detail(request, pk: int) -> dict:
    return s.LessonDetailOutput(selectors.lesson_for(request.user, pk)).data


class CourseListApi(GenericAPIView):
    serializer_class = s.CourseListOutput

    def get_permissions(self):
        # The catalogue is public; publishing a course needs a login.
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Chinese full text of title, summary and lesson titles"),
            OpenApiParameter("field", str, description="a field of work"),
        ],
        responses=s.CourseListOutput(many=True),
    )
    def get(self, request):
        filters = selectors.CatalogueFilters.from_params(request.query_params)
        page = self.paginate_queryset(selectors.catalogue(request.user, filters))
        return self.get_paginated_response(s.CourseListOutput(page, many=True).data)

    @extend_schema(request=s.CourseCreateInput, responses={201: s.CourseDetailOutput})
    def post(self, request):
        payload = s.CourseCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        studio = None
        if (studio_id := data.pop("studio_id", None)) is not None:
            studio = Studio.objects.filter(pk=studio_id).first()
            if studio is None:
                raise NotFound
        course = courses.course_create(
            actor=request.user, studio=studio, ip_address=client_ip(request), **data
        )
        return Response(_course_detail(request, course.pk), status=status.HTTP_201_CREATED)


class CourseDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(responses=s.CourseDetailOutput)
    def get(self, request, pk: int):
        return Response(_course_detail(request, pk))

    @extend_schema(request=s.CourseInput, responses=s.CourseDetailOutput)
    def put(self, request, pk: int):
        view = selectors.course_for(request.user, pk)
        payload = s.CourseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        courses.course_update(
            actor=request.user, course=view.course, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(_course_detail(request, pk))


class CoursePublishApi(APIView):
    @extend_schema(request=None, responses=s.CourseDetailOutput)
    def post(self, request, pk: int):
        view = selectors.course_for(request.user, pk)
        courses.course_publish(actor=request.user, course=view.course, ip_address=client_ip(request))
        return Response(_course_detail(request, pk))


class CourseLessonsApi(APIView):
    @extend_schema(request=s.LessonInput, responses={201: s.LessonDetailOutput})
    def post(self, request, pk: int):
        view = selectors.course_for(request.user, pk)
        payload = s.LessonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        lesson = courses.lesson_add(
            actor=request.user, course=view.course, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(_lesson_detail(request, lesson.pk), status=status.HTTP_201_CREATED)


class CourseEnrolApi(APIView):
    @extend_schema(request=None, responses={201: s.CourseDetailOutput})
    def post(self, request, pk: int):
        view = selectors.course_for(request.user, pk)
        progress.enrol(actor=request.user, course=view.course, ip_address=client_ip(request))
        return Response(_course_detail(request, pk), status=status.HTTP_201_CREATED)


class LessonDetailApi(APIView):
    @extend_schema(responses=s.LessonDetailOutput)
    def get(self, request, pk: int):
        return Response(_lesson_detail(request, pk))

    @extend_schema(request=s.LessonInput, responses=s.LessonDetailOutput)
    def put(self, request, pk: int):
        view = selectors.lesson_for(request.user, pk)
        payload = s.LessonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        courses.lesson_update(
            actor=request.user, lesson=view.lesson, ip_address=client_ip(request), **payload.validated_data
        )
        return Response(_lesson_detail(request, pk))


class LessonDoneApi(APIView):
    @extend_schema(request=None, responses=s.LessonDetailOutput)
    def post(self, request, pk: int):
        view = selectors.lesson_for(request.user, pk)
        progress.lesson_mark_done(actor=request.user, lesson=view.lesson)
        return Response(_lesson_detail(request, pk))


class LessonQuizApi(APIView):
    @extend_schema(request=s.QuizInput, responses=s.QuizResultOutput)
    def post(self, request, pk: int):
        view = selectors.lesson_for(request.user, pk)
        payload = s.QuizInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = progress.quiz_submit(
            actor=request.user, lesson=view.lesson, answers=payload.validated_data["answers"]
        )
        return Response(s.QuizResultOutput(result).data)


class EnrolmentListApi(GenericAPIView):
    serializer_class = s.EnrolmentListOutput

    @extend_schema(responses=s.EnrolmentListOutput(many=True))
    def get(self, request):
        """The signed-in member's enrolments, with progress and completion."""
        record = selectors.learning_record(request.user)
        page = self.paginate_queryset(record.enrolments)  # type: ignore[arg-type]
        return self.get_paginated_response(s.EnrolmentListOutput(page, many=True).data)
