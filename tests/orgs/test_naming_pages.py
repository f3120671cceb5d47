"""The naming pages' structure: every input has a label, headings go down one level at a time,
and the visible text of every link and button is inside its accessible name."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from platform_core.orgs.naming import services
from tests.orgs.naming import TEXTS, open_round, score_all

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.headings: list[int] = []
        self.named: list[tuple[str, str]] = []  # (aria-label, visible text) of links and buttons
        self._open: list[dict] = []
        self._in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if attrs.get("for"):
                self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.inputs.append({**attrs, "wrapped": self._in_label > 0})
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))
        if tag in ("a", "button"):
            self._open.append({"aria": attrs.get("aria-label"), "text": ""})

    def handle_endtag(self, tag):
        if tag == "label":
            self._in_label -= 1
        if tag in ("a", "button") and self._open:
            item = self._open.pop()
            self.named.append((item["aria"], item["text"].strip()))

    def handle_data(self, data):
        for item in self._open:
            item["text"] += data


def check(html: str) -> None:
    # The page's own content: the site's header and footer are checked with the base template.
    page = Page()
    page.feed(html[html.index("<main") : html.index("</main>")])
    for field in page.inputs:
        assert field["wrapped"] or field.get("id") in page.labels or field.get("aria-label"), field
    assert page.headings and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    for aria, text in page.named:
        assert aria is None or text in aria, (aria, text)


def get(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_naming_pages_are_labelled_and_ordered(cast):
    round = open_round(cast)
    nomination = services.nomination_create(actor=cast.admin, round=round, studio=cast.studio1)
    check(get(cast.admin, reverse("naming:open")))
    check(get(cast.admin, reverse("naming:rounds")))
    check(get(cast.admin, reverse("naming:round", args=[round.pk])))
    check(get(cast.leader1, reverse("naming:nomination", args=[nomination.pk])))
    services.assessment_save(actor=cast.leader1, nomination=nomination, texts=TEXTS, submit=True)
    services.scoring_start(actor=cast.superadmin, round=round)
    check(get(cast.panelist, reverse("naming:nomination", args=[nomination.pk])))
    score_all(cast.panelist, nomination, 80)
    services.scoring_close(actor=cast.superadmin, round=round)
    check(get(cast.superadmin, reverse("naming:round", args=[round.pk])))
    check(get(cast.superadmin, reverse("naming:nomination", args=[nomination.pk])))
    services.results_publish(actor=cast.superadmin, round=round, named=[nomination.pk])
    services.objection_lodge(actor=cast.outsider, nomination=nomination, reason="存疑")
    check(get(cast.outsider, reverse("naming:nomination", args=[nomination.pk])))
    check(get(cast.superadmin, reverse("naming:nomination", args=[nomination.pk])))
    check(get(cast.member, reverse("studios:detail", args=[cast.studio1.pk])))


@pytest.mark.parametrize(
    "html",
    [
        "<main><h1>a</h1><h3>skipped a level</h3></main>",
        '<main><h1>a</h1><input id="x" name="x"></main>',
        '<main><h1>a</h1><a href="/" aria-label="其他">证书</a></main>',
    ],
)
def test_the_check_refuses_a_skipped_heading_an_unlabelled_input_and_a_misnamed_link(html):
    with pytest.raises(AssertionError):
        check(html)
