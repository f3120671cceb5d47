"""Experience posts: who writes, sees, edits and deletes them; sanitising; the sensitive-word hold."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.exchange import permissions, selectors, services
from alliances.exchange.models import Post, SensitiveWord, Status
from alliances.exchange.rendering import render_post_text
from platform_core.audit.models import AuditEntry
from tests.cast import ROLES
from tests.exchange.world import HELD_WORD

pytestmark = pytest.mark.django_db
HANDLER_IN_TAG = re.compile(r"<[a-z]+[^>]*\son\w+=", re.IGNORECASE)

XSS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=\"alert('x')\">",
    "[点我](javascript:alert('x'))",
    '<a href="javascript:alert(1)">a</a>',
    "<svg onload=alert(1)></svg>",
    '![x" onerror="alert(1)](image:1)',
    "```\n</code></pre><img src=x onerror=alert(1)>\n```",
]


def _who(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


def test_a_member_writes_a_published_post_with_fields_and_an_audit_entry(cast, world):
    post = services.post_create(
        actor=cast.leader1, title=" 焊接心得 ", body="**分段**退焊", fields=[world.field]
    )
    assert post.status == Status.PUBLISHED and post.published_at is not None
    assert post.title == "焊接心得"
    assert "<strong>分段</strong>" in post.html
    assert list(post.fields.all()) == [world.field]
    assert post.unit == cast.unit_a
    assert AuditEntry.objects.filter(action="exchange.post_created", target_id=str(post.pk)).exists()


def test_a_post_for_a_studio_needs_its_member_and_takes_its_unit(cast):
    post = services.post_create(actor=cast.leader2, title="二号", body="正文", studio=cast.studio2)
    assert post.unit == cast.unit_b and post.studio == cast.studio2
    with pytest.raises(ValidationError):
        services.post_create(actor=cast.outsider, title="冒名", body="正文", studio=cast.studio1)


def test_anonymous_cannot_write(cast):
    with pytest.raises(PermissionDenied):
        services.post_create(actor=AnonymousUser(), title="t", body="b")


def test_empty_title_or_body_is_refused_beside_the_field(cast):
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=cast.member, title="  ", body="")
    assert set(error.value.message_dict) == {"title", "body"}


@pytest.mark.parametrize("payload", XSS)
def test_no_payload_becomes_markup_in_title_body_or_comment(cast, world, payload):
    post = services.post_create(actor=cast.member, title=payload, body=payload)
    comment = services.comment_create(actor=cast.leader1, post=post, body=payload)
    for html in (post.html, comment.html):
        lowered = html.lower()
        assert "<script" not in lowered and "<img" not in lowered and "<svg" not in lowered
        assert not HANDLER_IN_TAG.search(html)
        assert not re.search(r"<a\s[^>]*href=\"javascript", lowered)


def test_a_picture_of_the_post_renders_and_a_foreign_one_does_not(cast, world):
    image = world.image
    html = render_post_text(f'![现场 "照片"](image:{image.pk}) ![别人的](image:999999)', {image.pk})
    assert f'<img src="/exchange/images/{image.pk}/" alt="现场 &quot;照片&quot;" loading="lazy">' in html
    assert "![别人的](image:999999)" in html


def test_a_sensitive_word_holds_the_post_for_review(cast, world):
    post = services.post_create(actor=cast.member, title="标题", body=f"有人说{HELD_WORD}不好")
    assert post.status == Status.PENDING and HELD_WORD in post.held_words
    assert post.published_at is None
    # Full-width and spaced forms are caught too.
    SensitiveWord.objects.create(word="abc")
    held = services.post_create(actor=cast.member, title="ＡＢ C", body="正文")
    assert held.status == Status.PENDING


def test_a_held_post_is_seen_by_its_author_and_its_moderators_only(cast, world):
    seeing = {
        role for role in ("anonymous", *ROLES) if permissions.can_see_post(_who(cast, role), world.held)
    }
    assert seeing == {"member", "admin", "superadmin"}
    listed = set(selectors.post_list().values_list("pk", flat=True))
    assert world.held.pk not in listed and world.post.pk in listed


def test_filter_and_predicate_agree_for_every_role(cast, world):
    deleted = services.post_create(actor=cast.leader1, title="删掉的", body="正文")
    services.post_delete(actor=cast.leader1, post=deleted)
    hidden = services.post_create(actor=cast.leader2, title="隐藏的", body="正文")
    services.post_moderate(actor=cast.superadmin, post=hidden, action="hide", reason="违规")
    posts = [world.post, world.held, Post.objects.get(pk=deleted.pk), Post.objects.get(pk=hidden.pk)]
    for role in ("anonymous", *ROLES):
        user = _who(cast, role)
        visible = set(
            Post.objects.filter(permissions.posts_visible_filter(user)).values_list("pk", flat=True)
        )
        for post in posts:
            assert permissions.can_see_post(user, post) == (post.pk in visible), (role, post.title)


def test_only_the_author_edits_and_an_edit_with_a_sensitive_word_holds_it_again(cast, world):
    for role in ROLES:
        if role == "member":
            continue
        with pytest.raises(PermissionDenied):
            services.post_edit(actor=getattr(cast, role), post=world.post, title="x", body="y")
    edited = services.post_edit(actor=cast.member, post=world.post, title="新标题", body=f"加上{HELD_WORD}")
    assert edited.status == Status.PENDING
    assert "新标题" in edited.search_grams or "新标" in edited.search_grams


def test_the_author_deletes_softly_and_the_post_is_gone_for_everyone(cast, world):
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=cast.admin, post=world.post)
    services.post_delete(actor=cast.member, post=world.post)
    assert Post.objects.filter(pk=world.post.pk).exists()
    for role in ("member", "admin", "superadmin", "leader2"):
        assert not permissions.can_see_post(getattr(cast, role), world.post)
    assert AuditEntry.objects.filter(action="exchange.post_deleted").exists()


def test_likes_count_once_per_person(cast, world):
    services.post_like(actor=cast.leader1, post=world.post, liked=True)
    services.post_like(actor=cast.leader1, post=world.post, liked=True)
    post = services.post_like(actor=cast.leader2, post=world.post, liked=True)
    assert post.like_count == 2
    post = services.post_like(actor=cast.leader1, post=world.post, liked=False)
    assert post.like_count == 1
    with pytest.raises(PermissionDenied):
        services.post_like(actor=AnonymousUser(), post=world.post, liked=True)
    with pytest.raises(PermissionDenied):
        services.post_like(actor=cast.member, post=world.held, liked=True)


def test_favourites_are_a_members_own_list(cast, world):
    services.post_favourite(actor=cast.leader1, post=world.post, favourite=True)
    assert list(selectors.favourites_of(cast.leader1)) == [world.post]
    assert list(selectors.favourites_of(cast.leader2)) == []
    services.post_favourite(actor=cast.leader1, post=world.post, favourite=False)
    assert list(selectors.favourites_of(cast.leader1)) == []


def test_featuring_is_for_the_admins_over_the_posts_unit(cast, world):
    for role in ROLES:
        user = getattr(cast, role)
        assert permissions.can_feature_post(user, world.post) == (role in ("superadmin", "admin")), role
    services.post_feature(actor=cast.admin, post=world.post, featured=True)
    assert selectors.featured_posts() == [world.post]
    with pytest.raises(PermissionDenied):
        services.post_feature(actor=cast.admin2, post=world.post, featured=False)


def test_the_sensitive_word_list_is_managed_by_union_admins(cast):
    with pytest.raises(PermissionDenied):
        services.sensitive_word_add(actor=cast.member, word="新词")
    entry = services.sensitive_word_add(actor=cast.admin2, word=" 新词 ")
    assert entry.word == "新词"
    with pytest.raises(ValidationError):
        services.sensitive_word_add(actor=cast.admin, word="新词")
    services.sensitive_word_remove(actor=cast.admin, entry=entry)
    assert not SensitiveWord.objects.filter(word="新词").exists()


def test_the_setting_seeds_the_first_list(cast, settings):
    settings.EXCHANGE_SENSITIVE_WORDS = ["种子词"]
    services.seed_sensitive_words()
    assert SensitiveWord.objects.filter(word="种子词").exists()
