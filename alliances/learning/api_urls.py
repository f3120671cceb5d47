"""/api/v1/ routes of the learning app, included once from platform_core/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/", api.CourseListApi.as_view(), name="api-courses"),
    path("courses/<int:pk>/", api.CourseDetailApi.as_view(), name="api-course"),
    path("courses/<int:pk>/publish/", api.CoursePublishApi.as_view(), name="api-course-publish"),
    path("courses/<int:pk>/lessons/", api.CourseLessonsApi.as_view(), name="api-course-lessons"),
    path("courses/<int:pk>/enrol/", api.CourseEnrolApi.as_view(), name="api-course-enrol"),
    path("lessons/<int:pk>/", api.LessonDetailApi.as_view(), name="api-lesson"),
    path("lessons/<int:pk>/done/", api.LessonDoneApi.as_view(), name="api-lesson-done"),
    path("lessons/<int:pk>/quiz/", api.LessonQuizApi.as_view(), name="api-lesson-quiz"),
    path("enrolments/", api.EnrolmentListApi.as_view(), name="api-enrolments"),
]
