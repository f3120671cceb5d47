"""Demo experience posts for `seed_demo`, made through the services: three posts by members, with
comments and a reply (one post featured on the home page by `admin`), fields of work, and the
sensitive-words list (the setting's words, plus one). Idempotent: a post whose title exists is
left alone."""

from __future__ import annotations

from typing import Any

from alliances.models import FieldOfWork
from platform_core.demo import DemoContext

from . import services
from .models import Comment, Post, SensitiveWord

FIELDS = ("电力巡检", "焊接", "数控加工", "安全生产")
POSTS: list[dict[str, Any]] = [
    {
        "author": "member2",
        "title": "变电站巡检的五个经验",
        "body": (
            "干了八年**变电站巡检**，总结几条经验和大家交流：\n\n"
            "- 红外测温要在负荷高峰时段做，温差比绝对温度更能说明问题；\n"
            "- 听声音：变压器的“嗡嗡”声变尖往往是过载的前兆；\n"
            "- 巡检记录拍照要带上标尺和时间。\n\n"
            "> 发现隐患先报告，再处理，不要一个人上。"
        ),
        "fields": ("电力巡检", "安全生产"),
        "featured": True,
        "comments": [
            ("member3", "红外测温那条很实用，我们班组也是这么做的。@member2 标尺用的是什么型号？", None),
            ("member2", "用的是磁吸式的刻度贴，几块钱一张。", 0),
            ("member1", "收藏了，下周给新员工培训时讲一讲。", None),
        ],
    },
    {
        "author": "member1",
        "title": "薄板焊接变形的控制方法",
        "body": (
            "薄板焊接最怕变形。我们工作室试过几种办法，效果最好的是：\n\n"
            "1. 采用*分段退焊*，每段不超过 50 毫米；\n"
            "2. 焊前用夹具刚性固定，焊后自然冷却；\n"
            "3. 脉冲 MIG 焊替代普通 CO2 焊，热输入降低三成。"
        ),
        "fields": ("焊接",),
        "featured": False,
        "comments": [("member2", "分段退焊确实管用，我们再配合反变形预置，效果更好。", None)],
    },
    {
        "author": "member3",
        "title": "数控车床刀具寿命管理小窍门",
        "body": (
            "给每把刀建一个简单的寿命台账：加工件数、切削时间、换刀原因。"
            "三个月后就能看出哪把刀总是提前崩刃，对症调整切削参数。"
        ),
        "fields": ("数控加工",),
        "featured": False,
        "comments": [("member1", "台账模板能分享一下吗？", None)],
    },
]


def _fields(names) -> list[FieldOfWork]:
    return [FieldOfWork.objects.get_or_create(name=name)[0] for name in names]


def run(ctx: DemoContext) -> None:
    _fields(FIELDS)
    services.seed_sensitive_words()
    SensitiveWord.objects.get_or_create(word="内部资料外传")
    admin = ctx.users.get("admin")
    for spec in POSTS:
        author = ctx.users.get(spec["author"])
        if author is None or Post.objects.filter(title=spec["title"]).exists():
            continue
        post = services.post_create(
            actor=author, title=spec["title"], body=spec["body"], fields=_fields(spec["fields"])
        )
        written: list[Comment] = []
        for username, body, reply_to in spec["comments"]:
            commenter = ctx.users.get(username)
            if commenter is None:
                continue
            parent = written[reply_to] if reply_to is not None and reply_to < len(written) else None
            written.append(services.comment_create(actor=commenter, post=post, body=body, parent=parent))
        if spec["featured"] and admin is not None and admin.is_superuser:
            services.post_feature(actor=admin, post=post, featured=True)
