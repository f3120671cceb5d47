"""The exchange objects the tests and the URL × role matrix use, made through the services from the
cast (tests/cast.py): `member` (unit A, so `admin` moderates, `admin2` does not) wrote `post`
(published, with a picture) and `held` (held for a sensitive word); `leader2` commented on `post`
and `leader1` replied; `outsider` reported `post`."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliances.exchange import services
from alliances.exchange.models import Comment, Post, PostImage, Report, SensitiveWord
from alliances.models import FieldOfWork
from tests.cast import Cast

HELD_WORD = "赌博"  # on the settings' first list (EXCHANGE_SENSITIVE_WORDS)


def png(name: str = "现场.png", size=(40, 30)) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", size, (0, 128, 128)).save(output, "PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


@dataclass
class ExchangeWorld:
    field: FieldOfWork
    post: Post
    held: Post
    comment: Comment
    reply: Comment
    report: Report
    image: PostImage
    word: SensitiveWord


def make_exchange_world(cast: Cast) -> ExchangeWorld:
    field = FieldOfWork.objects.get_or_create(name="电力巡检")[0]
    SensitiveWord.objects.get_or_create(word=HELD_WORD)
    post = services.post_create(
        actor=cast.member, title="变电站巡检的经验", body="红外测温要在负荷高峰做。", fields=[field]
    )
    image = services.post_image_add(actor=cast.member, post=post, upload=png())
    held = services.post_create(actor=cast.member, title="待审的帖子", body=f"这里提到{HELD_WORD}。")
    comment = services.comment_create(actor=cast.leader2, post=post, body="很实用")
    reply = services.comment_create(actor=cast.leader1, post=post, body="同意", parent=comment)
    report = services.report_file(actor=cast.outsider, post=post, reason="广告")
    word = SensitiveWord.objects.get(word=HELD_WORD)
    return ExchangeWorld(
        field=field, post=post, held=held, comment=comment, reply=reply, report=report, image=image, word=word
    )
