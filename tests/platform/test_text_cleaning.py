"""One cleaning rule for every free-text field a user writes (platform_core/text.py), applied by
the services whatever the front door."""

from __future__ import annotations

import pytest
from django.test import Client

from platform_core.accounts.services import PROFILE_TEXT_FIELDS, user_profile_update
from platform_core.orgs import services as org_services
from platform_core.text import clean_html, clean_line, clean_plain_text, clean_tags

HIDDEN = {
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "arabic letter mark": "\u061c",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "tag latin a": "\U000e0041",
    "bell": "\x07",
    "escape": "\x1b",
    "delete": "\x7f",
    "control sequence introducer (C1)": "\x9b",
    "hangul filler": "\u3164",
    "braille blank": "\u2800",
    "lone surrogate": "\ud800",
}


@pytest.mark.parametrize("character", HIDDEN.values(), ids=HIDDEN.keys())
def test_invisible_and_direction_characters_are_dropped(character):
    assert clean_line(f"王建国{character}gnp.exe{character}") == "王建国gnp.exe"
    assert clean_plain_text(f"第一行{character}\n第二行") == "第一行\n第二行"


def test_text_is_normalised_to_nfc_but_keeps_full_width_punctuation():
    assert clean_line("Cafe\u0301（北京），好") == "Café（北京），好"


def test_line_breaks_are_kept_in_text_and_become_spaces_in_a_line():
    assert clean_plain_text(" a\r\nb\rc\u2028d \n") == "a\nb\nc\nd"
    assert clean_line("王\n建\t国\u3000 工程师") == "王 建 国 工程师"


def test_the_length_bound_applies_after_cleaning():
    assert clean_line("\u200b" * 100 + "名字", max_length=60) == "名字"
    assert clean_line("名" * 100, max_length=60) == "名" * 60


def test_labels_and_markup_follow_the_same_rule():
    assert clean_tags(["焊\u202e接", "\u200b", "焊接"]) == ["焊接"]
    assert clean_html("<p>a\u202eb</p>") == "<p>ab</p>"


# --- applied by the services ---------------------------------------------------------------------


SPOOFED = "王建国\u202egnp.exe\u200b"


@pytest.mark.parametrize("field", PROFILE_TEXT_FIELDS)
def test_the_profile_service_cleans_every_text_field(cast, field):
    setattr(cast.member, field, SPOOFED)
    user_profile_update(user=cast.member, changed_fields=[field])
    cast.member.refresh_from_db()
    assert getattr(cast.member, field) == "王建国gnp.exe"


def test_the_profile_page_stores_a_clean_display_name(cast):
    client = Client()
    client.force_login(cast.member)
    data = {"display_name": SPOOFED, "job_title": "技师\u2066", "phone": "", "email": "", "birth_year": ""}
    assert client.post("/profile/edit/", data).status_code == 302
    cast.member.refresh_from_db()
    assert (cast.member.display_name, cast.member.job_title) == ("王建国gnp.exe", "技师")


def test_the_studio_services_clean_description_fields_and_reason(cast):
    org_services.studio_update(
        actor=cast.leader1, studio=cast.studio1, description=f"简介{SPOOFED}\n第二行", fields=[SPOOFED]
    )
    cast.studio1.refresh_from_db()
    assert cast.studio1.description == "简介王建国gnp.exe\n第二行"
    assert cast.studio1.fields == ["王建国gnp.exe"]
    org_services.studio_delist(actor=cast.admin, studio=cast.studio1, reason="考核\u202e未通过")
    cast.studio1.refresh_from_db()
    assert cast.studio1.delisted_reason == "考核未通过"


def test_notifications_are_cleaned_whoever_composes_them(cast):
    from platform_core.notifications.services import notification_create, verbatim

    notification = notification_create(
        recipient=cast.member,
        kind="test",
        title=verbatim(f"来自 {SPOOFED}"),
        body=verbatim(f"理由\u2067：{SPOOFED}"),
    )
    notification.refresh_from_db()
    assert (notification.title, notification.body) == ("来自 王建国gnp.exe", "理由：王建国gnp.exe")
