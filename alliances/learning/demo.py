"""Demo courses for `seed_demo`, made through the services: a studio course of leader1's studio
with three lessons (the second with a quiz) and a live session in two days, an expert's course
with a video lesson (a small WebM with WebVTT captions from fixtures/), and member2 part-way
through the first course. Idempotent: a course whose title exists is left alone."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from platform_core.demo import DemoContext
from platform_core.media.models import MediaFile
from platform_core.orgs.models import Studio

from .models import Course
from .services import courses, progress, sessions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STUDIO_COURSE = "光纤熔接先进操作法"
EXPERT_COURSE = "精密测量与质量控制入门"

STUDIO_LESSONS = [
    (
        "熔接前的准备",
        "工具清单：\n\n- 光纤熔接机\n- 切割刀\n- 剥纤钳\n\n"
        "开工前检查熔接机电极，**每 2000 次放电更换一次**。",
    ),
    (
        "熔接与损耗控制",
        "熔接损耗应控制在 *0.05 dB* 以内。\n\n> 王建国操作法：端面角度小于 0.5°，放电前再清洁一次 V 型槽。",
    ),
    (
        "接头盒封装",
        "盘纤半径不小于 30 mm，封装后做一次 OTDR 复测。详见 https://example.com/otdr-guide",
    ),
]
QUIZ = [
    (
        "单模光纤熔接损耗一般应控制在多少以内？",
        False,
        [("0.05 dB", True), ("0.5 dB", False), ("1 dB", False)],
    ),
    ("熔接前需要清洁哪些部位？", True, [("V 型槽", True), ("光纤端面", True), ("机箱外壳", False)]),
]
CAPTIONS = (
    "WEBVTT\n\n00:00.000 --> 00:01.000\n测量前先校准量具\n\n00:01.000 --> 00:02.000\n读数时视线与刻度垂直\n"
)


def _media(user, *, kind: str, name: str, content_type: str, content: bytes) -> MediaFile:
    media_file = MediaFile(
        kind=kind,
        state=MediaFile.State.READY,
        uploaded_by=user,
        name=name,
        content_type=content_type,
        size=len(content),
        received=len(content),
        completed_at=timezone.now(),
    )
    media_file.file.save(name, ContentFile(content), save=False)
    media_file.save()
    return media_file


def _studio_course(ctx: DemoContext) -> None:
    leader1, member2 = ctx.users["leader1"], ctx.users["member2"]
    studio = Studio.objects.filter(leader=leader1, status=Studio.Status.ACTIVE).order_by("pk").first()
    if studio is None:
        return
    course = courses.course_create(
        actor=leader1,
        publisher=Course.Publisher.STUDIO,
        studio=studio,
        title=STUDIO_COURSE,
        summary="王建国劳模创新工作室总结的光纤熔接操作法：准备、熔接、封装三步，附课后小测。",
        description="适合传输网维护一线班组。学完三课并通过小测即可获得 **4 学时** 结业证书。",
        level=Course.Level.BEGINNER,
        hours=4,
        fields=["光纤接续", "传输网维护"],
    )
    lessons = [
        courses.lesson_add(actor=leader1, course=course, title=title, body=body)
        for title, body in STUDIO_LESSONS
    ]
    for text, multiple, choices in QUIZ:
        courses.question_add(actor=leader1, lesson=lessons[1], text=text, multiple=multiple, choices=choices)
    courses.course_publish(actor=leader1, course=course)
    sessions.session_schedule(
        actor=leader1,
        course=course,
        title="熔接损耗现场答疑",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_minutes=45,
        stream_url="https://live.example.com/fiber",
    )
    progress.enrol(actor=member2, course=course)
    progress.lesson_mark_done(actor=member2, lesson=lessons[0])


def _expert_course(ctx: DemoContext) -> None:
    expert = ctx.users["expert1"]
    course = courses.course_create(
        actor=expert,
        publisher=Course.Publisher.EXPERT,
        title=EXPERT_COURSE,
        summary="量具校准、读数规范与过程质量控制的基本方法，含一段示范视频。",
        level=Course.Level.INTERMEDIATE,
        hours=2,
        fields=["精密制造", "质量管理"],
    )
    courses.lesson_add(
        actor=expert,
        course=course,
        title="量具校准",
        body="游标卡尺、千分尺使用前须在标准块上校零。\n\n- 校零误差超过 0.01 mm 停用送检",
    )
    video = _media(
        expert,
        kind=MediaFile.Kind.VIDEO,
        name="读数示范.webm",
        content_type="video/webm",
        content=(FIXTURES / "demo-lesson.webm").read_bytes(),
    )
    captions = _media(
        expert,
        kind=MediaFile.Kind.CAPTIONS,
        name="读数示范.vtt",
        content_type="text/vtt",
        content=CAPTIONS.encode(),
    )
    courses.lesson_add(
        actor=expert,
        course=course,
        title="读数示范（视频）",
        kind="video",
        body="观看示范视频，注意视线与刻度垂直。",
        media_id=str(video.pk),
        captions_id=str(captions.pk),
    )
    courses.course_publish(actor=expert, course=course)


def run(ctx: DemoContext) -> None:
    existing = set(Course.objects.values_list("title", flat=True))
    if STUDIO_COURSE not in existing:
        _studio_course(ctx)
    if EXPERT_COURSE not in existing and "expert1" in ctx.users:
        _expert_course(ctx)
