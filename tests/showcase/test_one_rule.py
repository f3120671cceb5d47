"""Each showcase rule once, both doors through it: the page and the API show the same round
ranking and the same listing contact details to every role; one filter parser answers malformed
filters 400 on both; the public lists never show an unpublished achievement; a round's total is
weighted; facet headings follow the active language."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from showcase import selectors
from showcase.models import Achievement, Round
from showcase.selectors import ShowcaseFilters
from showcase.services import achievements as achievement_services
from showcase.services import rounds, transfer
from tests.cast import ROLES

from .conftest import make_achievement

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", *ROLES)


def client_of(cast, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


# --- a round, with or without its ranking ---------------------------------------------------------


def scored_round(cast, published) -> Round:
    today = datetime.date.today()
    round = rounds.round_open(
        actor=cast.admin,
        kind=Round.Kind.SELECTION,
        title="年度评选",
        starts_on=today,
        ends_on=today,
        criteria=[("创新性", 60), ("效益", 40)],
        experts=[cast.expert],
    )
    entry = rounds.round_entry_add(actor=cast.admin, round=round, achievement=published)
    first, second = round.criteria.all()
    rounds.round_score(
        actor=cast.expert,
        entry=entry,
        scores=[{"criterion": first.pk, "value": 90}, {"criterion": second.pk, "value": 50}],
    )
    return round


def advance_round(cast, round: Round, state: str) -> None:
    if state in ("closed", "published"):
        rounds.round_close(actor=cast.admin, round=round)
    if state == "published":
        rounds.round_publish(
            actor=cast.admin, round=round, results={entry.pk: "first" for entry in round.entries.all()}
        )


# Who sees the round (200, else 404) and who sees its ranking, in each state.
RANKING_SEEN_BY = {
    "open": {"superadmin", "admin"},
    "closed": {"superadmin", "admin"},
    "published": set(VIEWERS),
}
ROUND_SEEN_BY = {
    "open": {"superadmin", "admin", "expert"},
    "closed": {"superadmin", "admin", "expert"},
    "published": set(VIEWERS),
}


@pytest.mark.parametrize("state", ["open", "closed", "published"])
@pytest.mark.parametrize("role", VIEWERS)
def test_the_round_page_and_api_show_the_same_ranking(cast, published, state, role):
    round = scored_round(cast, published)
    advance_round(cast, round, state)
    client = client_of(cast, role)
    page = client.get(reverse("showcase:round", args=[round.pk]))
    api = client.get(f"/api/v1/rounds/{round.pk}/")
    expected = 200 if role in ROUND_SEEN_BY[state] else 404
    assert page.status_code == api.status_code == expected
    if expected == 404:
        return
    html = page.content.decode()
    page_totals = {Decimal(total) for total in re.findall(r'data-total="([0-9.]+)"', html)}
    api_totals = {Decimal(row["total"]) for row in api.json()["ranking"] if row["total"] is not None}
    assert page_totals == api_totals
    assert bool(api_totals) == (role in RANKING_SEEN_BY[state])
    assert ("data-ranking" in html) == (role in RANKING_SEEN_BY[state])
    # The panel: for whoever runs the round, on both doors.
    page_panel = {int(pk) for pk in re.findall(r'data-expert="([0-9]+)"', html)}
    api_panel = api.json()["panel"]
    assert page_panel == {row["id"] for row in api_panel or []}
    assert (api_panel is not None) == (role in {"superadmin", "admin"})


def test_a_total_weighs_each_criterion(cast, published):
    round = scored_round(cast, published)
    # 90 × 60% + 50 × 40% = 74 (an unweighted mean would say 70).
    assert selectors.round_ranking(round)[0].total == Decimal("74.00")


def test_a_total_averages_each_criterion_over_the_experts_then_weighs_it(cast, published):
    from platform_core.accounts.models import ExpertProfile
    from tests.events import make_user

    second_expert = make_user("expert_c", unit=cast.unit_c)
    ExpertProfile.objects.create(user=second_expert, committee=ExpertProfile.Committee.TECHNICAL)
    round = scored_round(cast, published)
    rounds.round_expert_add(actor=cast.admin, round=round, expert=second_expert)
    first, second = round.criteria.all()
    rounds.round_score(
        actor=second_expert,
        entry=round.entries.get(),
        scores=[{"criterion": first.pk, "value": 70}, {"criterion": second.pk, "value": 100}],
    )
    # 创新性 (90 + 70) / 2 = 80 at 60%, 效益 (50 + 100) / 2 = 75 at 40%: 48 + 30 = 78.
    assert selectors.round_ranking(round)[0].total == Decimal("78.00")


# --- a transfer listing, with or without its contact details --------------------------------------

PHONE, EMAIL = "13800138000", "owner@example.com"
# The owner's members, the admins over unit A, and the inquirer the owner has taken up (outsider);
# not the poster, whose inquiry is still unanswered.
CONTACT_SEEN_BY = {"superadmin", "admin", "leader1", "member", "outsider"}


@pytest.fixture
def listed(cast, published):
    listing = transfer.listing_save(
        actor=cast.leader1,
        achievement=published,
        maturity=6,
        modes=["licence"],
        contact_name="王工",
        contact_phone=PHONE,
        contact_email=EMAIL,
    )
    taken_up = transfer.inquiry_send(
        actor=cast.outsider, listing=listing, mode="licence", message="想了解授权"
    )
    transfer.inquiry_set_status(actor=cast.leader1, inquiry=taken_up, status="discussing")
    transfer.inquiry_send(actor=cast.poster, listing=listing, mode="licence", message="价格多少")
    return published


@pytest.mark.parametrize("role", VIEWERS)
def test_the_listing_page_and_api_show_the_same_contact_details(cast, listed, role):
    client = client_of(cast, role)
    html = client.get(reverse("showcase:detail", args=[listed.pk])).content.decode()
    listing = client.get(f"/api/v1/achievements/{listed.pk}/").json()["listing"]
    seen = role in CONTACT_SEEN_BY
    assert (PHONE in html) == (listing["contact_phone"] == PHONE) == seen
    assert (EMAIL in html) == (listing["contact_email"] == EMAIL) == seen
    assert listing["contact_visible"] is seen
    # The name is public on both doors.
    assert "王工" in html and listing["contact_name"] == "王工"


@pytest.mark.parametrize("role", VIEWERS)
def test_the_public_list_never_shows_contact_details(cast, listed, role):
    body = client_of(cast, role).get("/api/v1/achievements/").content.decode()
    assert PHONE not in body and EMAIL not in body


def test_the_stored_listing_is_not_blanked_by_reading_it(cast, listed):
    selectors.listing_for(cast.poster, Achievement.objects.get(pk=listed.pk))
    listed.listing.refresh_from_db()
    assert listed.listing.contact_phone == PHONE


# --- one filter parser, one 400 -------------------------------------------------------------------

MALFORMED = [
    ("unit", "-1"),
    ("unit", "0"),
    ("unit", "99999999999999999999"),
    ("unit", "abc"),
    ("unit", "１２"),
    ("maturity", "10"),
    ("type", "bogus"),
    ("mode", "rent"),
    ("has_patent", "yes"),
    ("award", "gold"),
    ("sort", "random"),
]


@pytest.mark.parametrize(("name", "value"), MALFORMED)
def test_a_malformed_filter_is_a_400_on_the_page_and_the_api(client, published, name, value):
    params = {name: value}
    api = client.get("/api/v1/achievements/", params)
    facets = client.get("/api/v1/achievements/facets/", params)
    page = client.get(reverse("showcase:list"), params)
    assert api.status_code == facets.status_code == page.status_code == 400
    assert name in api.json() or name in api.content.decode()
    assert name in page.content.decode()
    assert published.title not in page.content.decode()


def test_well_formed_and_empty_filters_are_answered(client, cast, published):
    for params in (
        {"unit": str(cast.unit_a.pk), "maturity": ""},
        {"type": "technical", "sort": "newest"},
        {},
    ):
        assert client.get("/api/v1/achievements/", params).json()["count"] == 1
        assert published.title in client.get(reverse("showcase:list"), params).content.decode()


def test_the_filters_come_from_one_parser():
    with pytest.raises(Exception) as refused:
        ShowcaseFilters.from_params({"unit": "-1", "maturity": "x"})
    assert set(refused.value.message_dict) == {"unit", "maturity"}  # type: ignore[attr-defined]
    assert ShowcaseFilters.from_params({"unit": "7", "maturity": "3"}).unit == 7


# --- the public showcase shows published achievements only ---------------------------------------


@pytest.fixture
def every_state(cast):
    """One achievement in each state, all with the word 钛合金 and the tag 稀有领域."""
    common = {"summary": "钛合金焊接", "fields": ["稀有领域"], "type": "master_skill"}
    make_achievement(cast, title="钛合金·已发布", **common)
    make_achievement(cast, publish=False, title="钛合金·草稿", **common)
    submitted = make_achievement(cast, publish=False, title="钛合金·待发布", **common)
    achievement_services.achievement_submit(actor=cast.leader1, achievement=submitted)
    withdrawn = make_achievement(cast, title="钛合金·已撤回", **common)
    achievement_services.achievement_withdraw(actor=cast.leader1, achievement=withdrawn, reason="过时")
    return cast


@pytest.mark.parametrize("query", ["", "钛合金"])
def test_only_the_published_achievement_is_in_the_public_showcase(every_state, query):
    client = Client()
    client.force_login(every_state.superadmin)  # who could see every state on its own page
    html = client.get(reverse("showcase:list"), {"search": query}).content.decode()
    # (the titles' suffixes: a searched word is wrapped in <mark>)
    assert "·已发布" in html
    for hidden in ("·草稿", "·待发布", "·已撤回"):
        assert hidden not in html
    api = client.get("/api/v1/achievements/", {"search": query}).json()
    assert [row["title"] for row in api["results"]] == ["钛合金·已发布"]
    facets = {
        facet["name"]: facet for facet in client.get("/api/v1/achievements/facets/", {"search": query}).json()
    }
    assert {v["value"]: v["count"] for v in facets["type"]["values"]} == {"master_skill": 1}
    assert {v["value"]: v["count"] for v in facets["field"]["values"]} == {"稀有领域": 1}
    assert selectors.showcase_figures().published == 1


# --- facet headings in the active language -------------------------------------------------------


def test_facet_headings_and_labels_follow_the_active_language(client, published):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("showcase:list")).content.decode()
    for heading in ("<summary>Type</summary>", "<summary>Patent</summary>", "<summary>Field</summary>"):
        assert heading in html
    assert "Technical innovation" in html and "With a patent" in html
    facets = client.get("/api/v1/achievements/facets/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {facet["name"]: facet["title"] for facet in facets}["type"] == "Type"


def test_the_award_facet_is_headed_by_what_it_is(client, cast, published):
    round = scored_round(cast, published)
    advance_round(cast, round, "published")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("showcase:list")).content.decode()
    assert "<summary>Appraisal or selection result</summary>" in html
    assert "First prize" in html


@pytest.mark.parametrize("role", VIEWERS)
def test_the_reason_of_a_return_is_on_both_doors_for_whoever_sees_the_draft(cast, role):
    returned = make_achievement(cast, publish=False, title="退回的成果")
    achievement_services.achievement_submit(actor=cast.leader1, achievement=returned)
    achievement_services.achievement_return(actor=cast.admin, achievement=returned, reason="补充效益测算依据")
    client = client_of(cast, role)
    page = client.get(reverse("showcase:detail", args=[returned.pk]))
    api = client.get(f"/api/v1/achievements/{returned.pk}/")
    assert page.status_code == api.status_code
    if api.status_code == 200:
        assert ("补充效益测算依据" in page.content.decode()) == (
            api.json()["state_reason"] == "补充效益测算依据"
        )
        assert api.json()["state_reason"] == "补充效益测算依据"
