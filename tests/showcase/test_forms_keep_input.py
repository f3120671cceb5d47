"""A refused form comes back in place (400) with what was typed and each error beside its field:
every form page of forms_flow, found from the URL resolver; the achievement form from a challenge
keeps the typed text over the challenge's; the listing form stays on its page; a note alone does
not change an inquiry's status."""

from __future__ import annotations

import datetime
import inspect
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from challenges.models import Challenge
from showcase.models import Achievement, Inquiry, Round
from showcase.services import rounds, transfer

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_block(html: str, name: str) -> str:
    """The `<div class="field …">` of the input named `name` (frontend/_field.html)."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', html, flags=re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def assert_error_beside(html: str, name: str) -> None:
    block = field_block(html, name)
    assert "has-error" in block and 'class="error"' in block, block


# --- the two journeys the issue names ------------------------------------------------------------


def test_the_achievement_form_from_a_challenge_keeps_what_was_typed(cast):
    from tests.challenges.conftest import make_world

    challenge = make_world(cast).in_state(Challenge.State.ACCEPTED)
    outcome = challenge.outcome
    client = login(cast.leader2)  # studio2 won the challenge
    url = reverse("showcase:create") + f"?outcome={outcome.pk}"
    assert challenge.title in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "outcome": outcome.pk,
            "owner": f"studio:{cast.studio2.pk}",
            "title": "我改写的成果标题",
            "summary": "我写的简介",
            "type": "technical",
            "contributors": "王建国 50",  # the shares do not add up to 100: the service refuses
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="我改写的成果标题"' in html and "我写的简介" in html
    assert f'value="{challenge.title}"' not in html
    assert_error_beside(html, "contributors")
    assert not Achievement.objects.exists()


def test_a_refused_edit_keeps_the_typed_title_not_the_saved_one(cast, draft):
    response = login(cast.leader1).post(
        reverse("showcase:edit", args=[draft.pk]),
        {"title": "新写的标题", "summary": "新简介", "type": "technical", "contributors": "甲 30\n乙 30"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="新写的标题"' in html and f'value="{draft.title}"' not in html
    assert_error_beside(html, "contributors")
    draft.refresh_from_db()
    assert draft.title == "秘密焊接工艺草稿"


def test_the_listing_form_is_shown_again_in_place_with_the_error_beside_the_field(cast, published):
    url = reverse("showcase:listing", args=[published.pk])
    response = login(cast.leader1).post(
        url, {"maturity": "5", "modes": ["licence", "joint"], "regions": "华北电网", "contact_name": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="华北电网"' in html and re.search(r'value="joint"[^>]*checked', html)
    assert_error_beside(html, "contact_name")
    assert "<h1>" in html and 'name="maturity"' in html  # the listing page itself, not another one


def test_a_service_error_on_a_field_goes_beside_that_field(cast):
    today = datetime.date.today().isoformat()
    response = login(cast.admin).post(
        reverse("showcase:round_open"),
        {
            "kind": "selection",
            "title": "年度评选",
            "starts_on": today,
            "ends_on": today,
            "criteria": "创新性 60\n效益 30",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert_error_beside(html, "criteria")  # the service's {"criteria": …}
    assert "效益 30" in html and 'value="年度评选"' in html
    assert not Round.objects.exists()


def test_an_unknown_expert_name_is_named_back_not_dropped(cast):
    today = datetime.date.today().isoformat()
    response = login(cast.admin).post(
        reverse("showcase:round_open"),
        {
            "kind": "selection",
            "title": "年度评选",
            "starts_on": today,
            "ends_on": today,
            "criteria": "创新性 100",
            "experts": "expert, exprt",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert_error_beside(html, "experts")
    assert "exprt" in field_block(html, "experts")
    assert not Round.objects.exists()


# --- the inquiry status control: no destructive default -----------------------------------------


@pytest.fixture
def inquiry(cast, published):
    listing = transfer.listing_save(
        actor=cast.leader1, achievement=published, maturity=5, modes=["licence"], contact_name="王工"
    )
    return transfer.inquiry_send(actor=cast.outsider, listing=listing, mode="licence", message="想了解")


@pytest.mark.parametrize("role", ["leader1", "outsider"])
def test_the_status_control_starts_on_no_choice(cast, inquiry, role):
    html = login(getattr(cast, role)).get(reverse("showcase:inquiry", args=[inquiry.pk])).content.decode()
    select = re.search(r'<select name="status".*?</select>', html, flags=re.S).group(0)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first
    assert not re.search(r'value="declined"[^>]*selected', select)


@pytest.mark.parametrize("role", ["leader1", "outsider"])
def test_a_note_alone_does_not_change_the_status(cast, inquiry, role):
    url = reverse("showcase:inquiry_status", args=[inquiry.pk])
    response = login(getattr(cast, role)).post(url, {"status": "", "note": "补充一下联系方式"})
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW and inquiry.status_note == ""
    html = response.content.decode()
    assert 'value="补充一下联系方式"' in html
    assert_error_beside(html, "status")


def test_declining_is_an_explicit_choice(cast, inquiry):
    url = reverse("showcase:inquiry_status", args=[inquiry.pk])
    response = login(cast.outsider).post(url, {"status": "declined", "note": "不需要了"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.DECLINED and inquiry.status_note == "不需要了"


# --- every form page of forms_flow ---------------------------------------------------------------


def _forms_flow_pages() -> set[str]:
    """The URL names whose view goes through forms_flow's `submit` (directly or by `object_form`)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", pattern.callback

    found = set()
    for name, callback in walk(get_resolver().url_patterns):
        try:
            source = inspect.getsource(inspect.unwrap(callback))
        except (OSError, TypeError):
            source = ""
        if hasattr(callback, "forms_flow_form") or re.search(r"\bsubmit\(\s*request", source):
            found.add(name)
    return found


# The pages whose views do not take the refused form with `form_for`: they would keep the former
# answer (the errors as messages and a redirect). None is left; a new form page must not join.
NOT_YET_KEEPING_INPUT: set[str] = set()


class _WithNaming(dict):
    """The form pages' objects, and the naming rounds' (tests/orgs/naming.py) built only when a
    naming page asks for them: keys `naming_<attribute of NamingWorld>`."""

    def __init__(self, objects: dict, cast) -> None:
        super().__init__(objects)
        self.cast = cast

    def __contains__(self, key) -> bool:
        return super().__contains__(key) or str(key).startswith(("naming_", "consulting_"))

    def __missing__(self, key):
        from tests.orgs.naming import make_naming_world

        if str(key).startswith("consulting_"):  # tests/consulting/world.py, on demand as well
            from tests.consulting.world import make_consulting_world

            consulting = make_consulting_world(self.cast)
            for name in vars(consulting):
                self[f"consulting_{name}"] = getattr(consulting, name)
            return super().__getitem__(key)
        naming = make_naming_world(self.cast)
        for name in vars(naming):
            self[f"naming_{name}"] = getattr(naming, name)
        return super().__getitem__(key)


@pytest.fixture
def world(cast, published, draft, inquiry):
    return _WithNaming(_world(cast, published, draft, inquiry), cast)


def _world(cast, published, draft, inquiry):
    """Each form page's object, in the state where its form is offered."""
    from alliances.services import alliances, mentors
    from challenges.services import qa, reviews
    from tests.alliances.conftest import make_team
    from tests.challenges.conftest import make_world

    agreed = transfer.inquiry_send(
        actor=cast.expert, listing=inquiry.listing, mode="licence", message="合作开发"
    )
    transfer.inquiry_set_status(actor=cast.leader1, inquiry=agreed, status="agreed")
    from challenges.services import problems

    challenges = make_world(cast)
    under_review = challenges.in_state(Challenge.State.UNDER_REVIEW)
    open_challenge = challenges.published()
    studio1_bid = under_review.bids.get(studio=cast.studio1)
    return {
        "draft_challenge": challenges.draft(),
        "open_challenge": open_challenge,
        "question": qa.question_ask(actor=cast.outsider, challenge=open_challenge, body="能否远程验收？"),
        "clarification": reviews.clarification_ask(
            actor=cast.poster, bid=studio1_bid, question="工期能否缩短？"
        ),
        "problem": problems.problem_submit(
            actor=cast.member,
            unit=cast.unit_a,
            title="冬季覆冰",
            description="线路覆冰严重",
            urgency="normal",
        ),
        "published": published,
        "draft": draft,
        "inquiry": inquiry,
        "agreed": agreed,
        "studio": cast.studio1,
        "team": make_team(cast).team,  # led by member
        "alliance": alliances.alliance_create(actor=cast.leader1, name="焊接联盟", coordinator=cast.studio1),
        "round": rounds.round_open(
            actor=cast.admin,
            kind="selection",
            title="年度评选",
            starts_on=datetime.date.today(),
            ends_on=datetime.date.today(),
            criteria=[("创新性", 100)],
            experts=[],
        ),
        "pair": mentors.mentor_pair_create(
            actor=cast.leader1,
            studio=cast.studio1,
            mentor=cast.leader1,
            apprentice=cast.member,
            skill="氩弧焊",
            started_on=datetime.date(2025, 1, 1),
        ),
        **_exchange_objects(cast),
    }


def _exchange_objects(cast) -> dict:
    from alliances.exchange import services as exchange

    post = exchange.post_create(actor=cast.member, title="经验", body="正文")
    comment = exchange.comment_create(actor=cast.leader2, post=post, body="评论")
    return {"exchange_post": post, "exchange_comment": comment}


# name → (who, the URL's object, an invalid POST, the typed value that must come back, or None
# where nothing typed is kept: a choice the form refused)
KEEPING_INPUT = {
    "showcase:create": (
        "leader1",
        None,
        lambda cast: {"owner": f"studio:{cast.studio1.pk}", "title": "留住的标题", "summary": ""},
        "留住的标题",
    ),
    "showcase:edit": (
        "leader1",
        "draft",
        lambda cast: {"title": "留住的新标题", "summary": ""},
        "留住的新标题",
    ),
    "showcase:listing": (
        "leader1",
        "published",
        lambda cast: {"maturity": "5", "modes": ["licence"], "industries": "留住的行业", "contact_name": ""},
        "留住的行业",
    ),
    "showcase:inquire": (
        "poster",
        "published",
        lambda cast: {"mode": "licence", "organisation": "留住的单位", "message": ""},
        "留住的单位",
    ),
    "showcase:inquiry_status": (
        "leader1",
        "inquiry",
        lambda cast: {"status": "", "note": "留住的备注"},
        "留住的备注",
    ),
    "showcase:inquiry_case": (
        "leader1",
        "agreed",
        lambda cast: {"value": "-1", "concluded_on": "2025-01-02", "mode": "licence", "note": "留住的说明"},
        "留住的说明",
    ),
    "showcase:round_open": (
        "admin",
        None,
        lambda cast: {"kind": "selection", "title": "留住的评选", "starts_on": "", "criteria": "创新性 100"},
        "留住的评选",
    ),
    "studios:member_add": (
        "leader1",
        "studio",
        lambda cast: {"username": "无此用户名", "role": "member"},
        "无此用户名",
    ),
    "studios:edit": (
        "leader1",
        "studio",
        lambda cast: {"description": "留住的简介", "work_fields": "长" * 401},
        "留住的简介",
    ),
    "studios:delist": ("admin", "studio", lambda cast: {"reason": "理" * 1001}, "理" * 1001),
    "studios:create": (
        "admin",
        None,
        lambda cast: {
            "name": "留住的工作室",
            "unit": "",
            "type": "skill",
            "level": "grassroots",
            "leader": "leader1",
        },
        "留住的工作室",
    ),
    "studios:administer": (
        "admin",
        "studio",
        lambda cast: {
            "name": "留住的新名",
            "leader": "无此用户名",
            "unit": cast.unit_a.pk,
            "type": "skill",
            "level": "group",
        },
        "留住的新名",
    ),
    "teams:create": ("outsider", None, lambda cast: {"name": "", "purpose": "留住的目的"}, "留住的目的"),
    "teams:edit": (
        "member",
        "team",
        lambda cast: {"name": "", "purpose": "留住的队伍目的", "status": "active"},
        "留住的队伍目的",
    ),
    "teams:invite": ("member", "team", lambda cast: {"user": "无此人名"}, "无此人名"),
    "teams:alliance_create": (
        "leader1",
        None,
        lambda cast: {"name": "", "charter": "留住的章程", "coordinator": cast.studio1.pk},
        "留住的章程",
    ),
    "teams:alliance_invite": ("leader1", "alliance", lambda cast: {"studio": "987654"}, None),
    "teams:mentor_create": (
        "leader1",
        None,
        lambda cast: {
            "studio": cast.studio1.pk,
            "mentor": "无此师傅",
            "apprentice": "member",
            "skill": "留住的技艺",
            "started_on": "2025-01-01",
        },
        "留住的技艺",
    ),
    "teams:mentor_note": ("leader1", "pair", lambda cast: {"text": "记" * 4001}, "记" * 4001),
    # The challenge page's forms: a lifecycle action with its reason, a public question, an answer
    # to one question (one form per question on the page), a file on the draft.
    "challenges:transition": (
        "poster",
        "draft_challenge",
        lambda cast: {"action": "withdraw", "text": "撤" * 4001},
        "撤" * 4001,
    ),
    "challenges:ask": ("outsider", "open_challenge", lambda cast: {"body": "问" * 4001}, "问" * 4001),
    "challenges:answer": (
        "poster",
        ("open_challenge", "question"),
        lambda cast: {"answer": "答" * 4001},
        "答" * 4001,
    ),
    "challenges:challenge_attachment": ("poster", "draft_challenge", lambda cast: {}, None),
    # My bids: the lead answers the poster's clarifying question (one form per question).
    "challenges:clarification_answer": (
        "leader1",
        "clarification",
        lambda cast: {"answer": "澄" * 4001},
        "澄" * 4001,
    ),
    # Problem collection: submitting one, and triaging one (a merge and a reject form per problem).
    "challenges:problems": (
        "member",
        None,
        lambda cast: {
            "title": "留住的问题标题",
            "description": "",
            "unit": cast.unit_a.pk,
            "urgency": "normal",
        },
        "留住的问题标题",
    ),
    "challenges:problem_merge": ("poster", "problem", lambda cast: {"into": "0"}, None),
    "challenges:problem_reject": ("poster", "problem", lambda cast: {"reason": "驳" * 4001}, "驳" * 4001),
    # Choices from selects: the refused choice is not kept (it is not one of the options).
    "teams:transfer": ("member", "team", lambda cast: {"user": "outsider"}, None),
    "teams:alliance_join": ("leader2", "alliance", lambda cast: {"studio": "987654"}, None),
    "teams:alliance_remove": ("leader1", "alliance", lambda cast: {"studio": "987654"}, None),
    # The round's actions: adding an expert is a form (the others are buttons and the score rows,
    # test_round_score_rows.py).
    "showcase:round_action": (
        "admin",
        ("round", "expert"),
        lambda cast: {"username": "无此专家"},
        "无此专家",
    ),
}


# --- the review and work pages of a challenge: their objects are built only for their entries ----


def challenge_objects(cast) -> dict:
    """A challenge under review with an unconflicted expert (`reviewer`) assigned, and a race in
    progress: studio2's first milestone accepted, its second handed in, studio1's waiting."""
    from challenges.lifecycle import State
    from challenges.services import milestones, reviews
    from tests.challenges.conftest import make_world, pass_deadline

    builder = make_world(cast)
    under_review = builder.in_state(State.UNDER_REVIEW)
    reviews.expert_assign(actor=cast.poster, challenge=under_review, expert=builder.expert2)
    race = builder.published(award_mode="racing", max_winners=2, title="赛马攻关")
    bids = [builder.bid(race, "leader1"), builder.bid(race, "leader2")]
    pass_deadline(race)
    builder.act(race, cast.poster, "start_review")
    reviews.challenge_award(actor=cast.poster, challenge=race, winners=bids, rationale="并行")
    builder.act(race, cast.poster, "start_work")
    waiting = race.milestones.filter(bid=bids[0]).order_by("position").first()
    accepted, handed_in = race.milestones.filter(bid=bids[1]).order_by("position")[:2]
    milestones.milestone_submit(actor=cast.leader2, milestone=accepted, evidence_note="设计文档")
    milestones.milestone_review(actor=cast.poster, milestone=accepted, accept=True)
    milestones.milestone_submit(actor=cast.leader2, milestone=handed_in, evidence_note="试点报告")
    return {
        "reviewer": builder.expert2,
        "under_review": under_review,
        "review_bid": under_review.bids.order_by("pk").first(),
        "race": race,
        "waiting": waiting,
        "accepted": accepted,
        "handed_in": handed_in,
    }


def _scores(objects, value: str, comment: str) -> dict:
    bid = objects["review_bid"]
    data = {"stage": "bid"}
    for criterion in objects["under_review"].criteria.all():
        data[f"bid{bid.pk}-value_{criterion.pk}"] = value
        data[f"bid{bid.pk}-comment_{criterion.pk}"] = comment
    return data


# name → (who: a cast role or a key of challenge_objects, the URL's arguments from those objects,
# an invalid POST, the typed value that must come back)
KEEPING_INPUT.update(
    {
        "challenges:score": (
            "reviewer",
            lambda o: [o["under_review"].pk, o["review_bid"].pk],
            lambda cast, o: _scores(o, "150", "留住的评语"),  # over 100: the form refuses
            "留住的评语",
        ),
        "challenges:assign_expert": (
            "poster",
            lambda o: [o["under_review"].pk],
            lambda cast, o: {"username": "无此专家"},  # no such account: the service refuses
            "无此专家",
        ),
        "challenges:conflict": (
            "reviewer",
            lambda o: [o["under_review"].pk],
            lambda cast, o: {"reason": "留" * 4001},  # longer than the form takes
            "留" * 4001,
        ),
        "challenges:award": (
            "poster",
            lambda o: [o["under_review"].pk],
            lambda cast, o: {"winners": [], "rationale": "留住的评审理由"},  # no winner ticked
            "留住的评审理由",
        ),
        "challenges:clarify": (
            "poster",
            lambda o: [o["under_review"].pk, o["review_bid"].pk],
            lambda cast, o: {"question": "请说明" * 1400},  # longer than a question may be
            "请说明" * 50,
        ),
        "challenges:progress_report": (
            "leader2",
            lambda o: [o["accepted"].bid_id],
            lambda cast, o: {"body": "进展" * 10001},  # longer than a report may be
            "进展" * 50,
        ),
        "challenges:milestone_submit": (
            "leader1",
            lambda o: [o["waiting"].pk],
            lambda cast, o: {  # a file type the platform refuses: the whole submission is refused
                "evidence_note": "留住的交付说明",
                "file": SimpleUploadedFile("run.exe", b"MZ"),
            },
            "留住的交付说明",
        ),
        "challenges:milestone_review": (
            "poster",
            lambda o: [o["handed_in"].pk],
            lambda cast, o: {"accept": "maybe", "comments": "留住的验收意见"},
            "留住的验收意见",
        ),
        "challenges:milestone_release": (
            "poster",
            lambda o: [o["accepted"].pk],
            lambda cast, o: {"amount": "987654321"},  # more than the stage: the service refuses
            'value="987654321"',
        ),
        "challenges:midterm_point": (
            "poster",
            lambda o: [o["race"].pk],
            lambda cast, o: {"position": "37"},  # no team has a 37th milestone: the service refuses
            'value="37"',
        ),
    }
)


# Naming rounds: the round's forms and the nomination's (tests/orgs/naming.py).
KEEPING_INPUT.update(
    {
        "naming:open": (
            "admin",
            None,
            lambda cast: {
                "kind": "naming",
                "level": "group",
                "title": "留住的命名",
                "nominations_close_on": "",
            },
            "留住的命名",
        ),
        "naming:nominate": (
            "admin",
            "naming_nominating",
            lambda cast: {"studio": cast.studio2.pk, "statement": "推" * 4001},
            "推" * 4001,
        ),
        "naming:expert_add": (
            "superadmin",
            "naming_nominating",
            lambda cast: {"username": "无此专家"},
            "无此专家",
        ),
        "naming:publish": (
            "superadmin",
            "naming_deciding",
            lambda cast: {"named": ["987654"], "notice_ends_on": "2099-12-31"},
            'value="2099-12-31"',
        ),
        "naming:assessment": (
            "leader1",
            "naming_draft",
            lambda cast: {"text_political": "留住的自评", "action": "submit"},  # the others are empty
            "留住的自评",
        ),
        "naming:evidence_add": (
            "leader1",
            "naming_draft",
            lambda cast: {"standard": "talent", "file": SimpleUploadedFile("run.exe", b"MZ")},
            None,
        ),
        "naming:score": (
            "panelist",
            "naming_to_score",
            lambda cast: {
                "score_political": "150",  # over 100: the service refuses, beside the field
                "score_breakthrough": "80",
                "score_achievements": "80",
                "score_talent": "80",
                "score_support": "80",
            },
            'value="150"',
        ),
        "naming:object": ("outsider", "naming_named", lambda cast: {"reason": "异" * 4001}, "异" * 4001),
        "naming:answer": (
            "superadmin",
            "naming_objection",
            lambda cast: {"decision": "dismissed", "answer": "答" * 4001},
            "答" * 4001,
        ),
    }
)


# 专家咨询: asking, the chair's assignment, the answer, the rating, the committees' forms.
KEEPING_INPUT.update(
    {
        "consulting:ask": (
            "member",
            None,
            lambda cast: {"committee": "technical", "title": "留住的标题", "body": ""},
            'value="留住的标题"',
        ),
        "consulting:assign": ("poster2", "consulting_waiting", lambda cast: {"expert": "999999"}, None),
        "consulting:answer": (
            "expert",
            "consulting_taken",
            lambda cast: {"answer": "答" * 20001},
            "答" * 20001,
        ),
        "consulting:rate": (
            "outsider",
            "consulting_closed",
            lambda cast: {"rating": "9", "comment": "留住的评价"},
            "留住的评价",
        ),
        "consulting:committee_new": (
            "admin",
            None,
            lambda cast: {"code": "bad code", "name": "留住的名称", "escalate_after_hours": "48"},
            'value="留住的名称"',
        ),
        "consulting:committee_edit": (
            "admin",
            ("technical",),
            lambda cast: {"name": "留住的名称", "escalate_after_hours": "0"},
            'value="留住的名称"',
        ),
        "consulting:seat_add": (
            "admin",
            ("ip",),
            lambda cast: {"user": "nobody-here"},
            'value="nobody-here"',
        ),
    }
)


def test_every_forms_flow_page_is_listed_here():
    assert _forms_flow_pages() == set(KEEPING_INPUT) | NOT_YET_KEEPING_INPUT


@pytest.mark.parametrize("name", sorted(KEEPING_INPUT))
def test_every_form_page_keeps_the_typed_input_when_refused(cast, request, name):
    who, target, data, typed = KEEPING_INPUT[name]
    if callable(target):  # a challenge page: its objects are built for it alone
        objects = challenge_objects(cast)
        user = objects[who] if who in objects else getattr(cast, who)
        response = login(user).post(reverse(name, args=target(objects)), data(cast, objects))
    else:
        world = request.getfixturevalue("world")
        if isinstance(target, tuple):  # the URL's objects, or a literal argument
            args = [world[part].pk if part in world else part for part in target]
        else:
            args = [world[target].pk] if target else []
        response = login(getattr(cast, who)).post(reverse(name, args=args), data(cast))
    assert response.status_code == 400, response
    html = response.content.decode()
    if typed is not None:
        assert typed in html
    assert 'class="error"' in html or "message-error" in html


# 经验交流 (docs/exchange.md).
KEEPING_INPUT.update(
    {
        "exchange:create": (
            "leader1",
            None,
            lambda cast: {"title": "留住的经验标题", "body": ""},
            "留住的经验标题",
        ),
        "exchange:edit": (
            "member",
            "exchange_post",
            lambda cast: {"title": "留住的新标题", "body": ""},
            "留住的新标题",
        ),
        "exchange:image_add": (
            "member",
            "exchange_post",
            lambda cast: {"file": SimpleUploadedFile("run.exe", b"MZ")},
            None,
        ),
        "exchange:comment": ("leader1", "exchange_post", lambda cast: {"body": "留" * 2001}, "留" * 2001),
        "exchange:report": ("leader1", "exchange_post", lambda cast: {"reason": "举" * 301}, "举" * 301),
        "exchange:comment_report": (
            "leader1",
            "exchange_comment",
            lambda cast: {"reason": "举" * 301},
            "举" * 301,
        ),
        "exchange:moderate": ("admin", "exchange_post", lambda cast: {"action": "hide", "reason": ""}, None),
        "exchange:comment_moderate": (
            "admin",
            "exchange_comment",
            lambda cast: {"action": "hide", "reason": ""},
            None,
        ),
        "exchange:words": ("admin", None, lambda cast: {"word": "词" * 31}, "词" * 31),
    }
)
