"""The pages: a refused form comes back with what was typed; the quiz form, the course's progress
and the author's tools; bad input answers 4xx, never 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.learning.models import Course, Question

pytestmark = pytest.mark.django_db


def test_a_course_is_published_through_the_pages(client, cast):
    client.force_login(cast.leader1)
    response = client.post(
        reverse("learning:course_new"),
        {
            "publisher": f"studio:{cast.studio1.pk}",
            "title": "电缆头制作",
            "summary": "冷缩与热缩",
            "level": "beginner",
            "hours": "3",
            "work_fields": "电缆，配电",
        },
    )
    course = Course.objects.get(title="电缆头制作")
    assert response.status_code == 302 and course.studio == cast.studio1
    assert sorted(course.fields.values_list("name", flat=True)) == ["电缆", "配电"]
    client.post(
        reverse("learning:lesson_new", args=[course.pk]),
        {"title": "冷缩工艺", "kind": "text", "body": "**要点**", "pass_mark": "60"},
    )
    assert client.post(reverse("learning:course_publish", args=[course.pk])).status_code == 302
    course.refresh_from_db()
    assert course.is_published and course.lessons.get().body_html == "<p><strong>要点</strong></p>"


def test_a_refused_course_form_keeps_what_was_typed(client, cast):
    client.force_login(cast.leader1)
    response = client.post(
        reverse("learning:course_new"),
        {"publisher": f"studio:{cast.studio1.pk}", "title": "留住的标题", "summary": "", "hours": "3"},
    )
    assert response.status_code == 400
    assert 'value="留住的标题"' in response.content.decode()


def test_a_refused_question_comes_back_beside_its_field(client, cast, world):
    client.force_login(cast.leader1)
    response = client.post(
        reverse("learning:question_add", args=[world.lesson.pk]),
        {"text": "留住的问题", "choices": "甲\n乙"},  # no right answer marked
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="留住的问题"' in html and "has-error" in html
    assert not Question.objects.filter(text="留住的问题").exists()


def test_a_script_in_a_lesson_is_shown_as_text(client, cast, world):
    client.force_login(cast.leader1)
    client.post(
        reverse("learning:lesson_edit", args=[world.lesson.pk]),
        {
            "title": "<b>标题</b>",
            "kind": "text",
            "body": "<script>alert(1)</script>[x](javascript:alert(1))",
            "pass_mark": "60",
        },
    )
    html = client.get(reverse("learning:lesson", args=[world.lesson.pk])).content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        "/learning/?q=" + "测" * 300,
        "/learning/?page=x",
        "/learning/certificates/..%2F/",
        "/learning/lessons/1/media/x/",
    ],
)
def test_odd_input_is_never_a_server_error(client, cast, world, path):
    client.force_login(cast.member)
    assert client.get(path).status_code < 500


def test_the_course_page_shows_progress_to_the_enrolled(client, cast, world):
    client.force_login(cast.member)
    html = client.get(reverse("learning:course", args=[world.course.pk])).content.decode()
    assert "data-completed" in html and world.completion.certificate_code in html
    client.force_login(cast.leader2)
    html = client.get(reverse("learning:course", args=[world.course.pk])).content.decode()
    assert "data-enrol" in html and reverse("learning:course_edit", args=[world.course.pk]) not in html


def test_lessons_keep_their_order_and_can_be_moved(client, cast, world):
    client.force_login(cast.leader1)
    assert client.post(reverse("learning:lesson_move", args=[world.lesson.pk, "down"])).status_code == 302
    titles = list(world.course.lessons.order_by("position").values_list("title", flat=True))
    assert titles == ["课后测验", "绝缘防护"]
    client.post(reverse("learning:lesson_move", args=[world.lesson.pk, "down"]))  # already last: no change
    assert list(world.course.lessons.order_by("position").values_list("title", flat=True)) == titles
    client.force_login(cast.member)
    assert client.post(reverse("learning:lesson_move", args=[world.lesson.pk, "up"])).status_code == 403


def test_the_lesson_page_attaches_the_uploaded_video_and_captions(client, cast, world):
    from alliances.learning.models import Lesson
    from tests.learning.media import media_file

    video, captions = media_file(cast.leader1), media_file(cast.leader1, kind="captions", name="字幕.vtt")
    client.force_login(cast.leader1)
    new_lesson = reverse("learning:lesson_new", args=[world.course.pk])
    form = {"title": "视频课", "kind": "video", "body": "", "pass_mark": "60"}
    response = client.post(new_lesson, {**form, "video": str(video.pk), "captions": str(captions.pk)})
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="视频课")
    assert (lesson.media_id, lesson.captions_id) == (video.pk, captions.pk)
    # The edit page shows the attached files by name, and saving keeps them.
    page = client.get(reverse("learning:lesson_edit", args=[lesson.pk])).content.decode()
    assert video.name in page and captions.name in page and "data-media-upload" in page
    edit = {**form, "title": "视频课（修订）", "video": str(video.pk), "captions": str(captions.pk)}
    assert client.post(reverse("learning:lesson_edit", args=[lesson.pk]), edit).status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.media_id) == ("视频课（修订）", video.pk)
    # Someone else's upload is not the author's to attach: the form says so and keeps the text.
    theirs = media_file(cast.leader2)
    response = client.post(new_lesson, {**form, "title": "别人的视频", "video": str(theirs.pk)})
    assert response.status_code == 400
    assert "别人的视频" in response.content.decode()
    assert not Lesson.objects.filter(title="别人的视频").exists()
