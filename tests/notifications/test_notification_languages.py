"""Notifications read in the reader's language (issue 12): stored in every language when they are
made, whoever's request made them, and shown in the language of the page, the API request or the
live page that receives them; nested labels (a role) follow the language too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from platform_core.notifications import services
from platform_core.notifications.models import Notification
from platform_core.orgs import services as org_services
from platform_core.orgs.models import StudioMembership
from tests.events import make_user, stored_events, user_topic

ROOT = Path(__file__).resolve().parents[2]

ENGLISH_TITLE = "You joined the studio 一号工作室"
ENGLISH_BODY = "{actor} added you as Core member."
CHINESE_TITLE = "您已加入工作室“一号工作室”"


@pytest.fixture
def joined(cast):
    """A studio notification made while Chinese is active (the platform's language), with a role
    label nested in its body."""
    newcomer = make_user("newcomer", cast.unit_a, birth_year=1999)
    with translation.override("zh-hans"):
        org_services.studio_member_add(
            actor=cast.leader1, studio=cast.studio1, user=newcomer, role=StudioMembership.Role.CORE
        )
    return Notification.objects.get(recipient=newcomer)


def page_client(user, language: str | None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def english_body(cast) -> str:
    return ENGLISH_BODY.format(actor=cast.leader1)


def test_a_notification_made_in_chinese_reads_in_english_on_the_english_page(joined, cast):
    html = page_client(joined.recipient, "en").get("/notifications/").content.decode()
    assert ENGLISH_TITLE in html
    # The role is a translated label inside the text: it follows the language too.
    assert english_body(cast) in html
    assert CHINESE_TITLE not in html


def test_the_same_notification_reads_in_chinese_on_the_chinese_page(joined):
    html = page_client(joined.recipient, None).get("/notifications/").content.decode()
    assert CHINESE_TITLE in html
    assert "核心成员" in html
    assert ENGLISH_TITLE not in html


def test_the_home_page_lists_it_in_the_readers_language(joined):
    assert ENGLISH_TITLE in page_client(joined.recipient, "en").get("/").content.decode()
    assert CHINESE_TITLE in page_client(joined.recipient, None).get("/").content.decode()


def test_the_api_answers_in_the_requested_language(joined, cast):
    client = api_client(joined.recipient)
    english = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert (english["title"], english["body"]) == (ENGLISH_TITLE, english_body(cast))
    chinese = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert chinese["title"] == CHINESE_TITLE
    assert "核心成员" in chinese["body"]


def test_the_live_event_carries_every_language_for_the_page_to_pick(joined, cast):
    ((_seq, name, data),) = stored_events(user_topic(joined.recipient))
    assert name == "notification.created"
    texts = data["notification"]["texts"]
    assert set(texts) == {code for code, _name in settings.LANGUAGES}
    assert texts["en"] == {"title": ENGLISH_TITLE, "body": english_body(cast)}
    assert texts["zh-hans"]["title"] == CHINESE_TITLE
    assert "核心成员" in texts["zh-hans"]["body"]
    # title/body stay the platform's language: what an older page shows.
    assert data["notification"]["title"] == CHINESE_TITLE


def test_the_actors_language_does_not_decide(cast):
    # Made during an English request: the Chinese reader still reads Chinese.
    newcomer = make_user("newcomer", cast.unit_a, birth_year=1999)
    with translation.override("en"):
        org_services.studio_member_add(actor=cast.leader1, studio=cast.studio1, user=newcomer)
    notification = Notification.objects.get(recipient=newcomer)
    assert notification.title_in("zh-hans") == CHINESE_TITLE
    assert notification.title_in("en") == ENGLISH_TITLE


def test_a_lazy_translation_is_rendered_in_each_language(cast):
    services.notify([cast.member], kind="test", title=gettext_lazy("Member"))
    notification = Notification.objects.get(recipient=cast.member, kind="test")
    assert (notification.title_in("en"), notification.title_in("zh-hans")) == ("Member", "成员")


def test_rows_written_before_translations_still_read_in_every_language(cast):
    # A row as the earlier code wrote it: the platform's language only, no translations.
    old = Notification.objects.create(recipient=cast.member, kind="test", title="旧的通知", body="旧的正文")
    assert old.translations == {}
    assert (old.title_in("en"), old.body_in("en")) == ("旧的通知", "旧的正文")
    assert "旧的通知" in page_client(cast.member, "en").get("/notifications/").content.decode()
    result = api_client(cast.member).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (result["results"][0]["title"], result["results"][0]["body"]) == ("旧的通知", "旧的正文")


def test_the_english_api_list_costs_no_query_per_row(cast, django_assert_max_num_queries):
    client = api_client(cast.member)
    services.notify([cast.member], kind="test", title=services.verbatim("一"))
    with django_assert_max_num_queries(20) as first:
        client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    baseline = len(first.captured_queries)
    for n in range(20):
        services.notify([cast.member], kind="test", title=lambda n=n: f"第{n}条")
    with django_assert_max_num_queries(baseline):
        results = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert results[0]["title"] == "第19条"


# --- no call site hands over an already rendered text --------------------------------------------


@pytest.mark.parametrize("field", ["title", "body"])
def test_notify_refuses_a_rendered_str(cast, field):
    # Refused even with nobody to tell: a wrong call fails in every test that reaches it.
    with pytest.raises(TypeError):
        services.notify([], kind="test", title=lambda: "t", **{field: "已经渲染的文字"})
    with pytest.raises(TypeError):
        services.notification_create(recipient=cast.member, kind="test", title=lambda: "t", **{field: "文字"})
    assert not Notification.objects.filter(recipient=cast.member).exists()


NOTIFYING = {"notify", "notification_create", "_notify_leader", "_send_once"}


def _rendered_text(node: ast.expr) -> bool:
    """An expression that is already a str: a literal, an f-string, `_("…") % {…}`, a gettext call."""
    if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"_", "gettext", "ngettext", "pgettext", "str", "format_html"}
    return False


def test_no_call_site_passes_a_rendered_text():
    """The services of every app, read as source: also the branches no test walks."""
    offenders = []
    for folder in ("challenges", "alliances", "showcase", "platform_core", "frontend"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in NOTIFYING:
                    continue
                for keyword in node.keywords:
                    if keyword.arg in {"title", "body"} and _rendered_text(keyword.value):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_source_check_would_see_a_rendered_title():
    # The check above finds the shape a regression takes.
    call = ast.parse('notify([u], kind=k, title=_("A “%(t)s”") % {"t": t})').body[0].value
    assert isinstance(call, ast.Call)
    assert _rendered_text(next(k.value for k in call.keywords if k.arg == "title"))
