"""The HTML pages of frontend/urls.py, through Django's test client.

Every page fetched here also goes through `check_page`: a Content-Security-Policy header, and no
inline script, inline style or event-handler attribute in the HTML (the policy would block them).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from platform_core.notifications import services as notification_services
from platform_core.notifications.models import Notification
from platform_core.notifications.selectors import unread_count
from platform_core.orgs.models import Studio, StudioMembership, Unit
from tests.cast import ADMINS, EDITORS, LIVE_FOLLOWERS, ROLES, every_role_except
from tests.events import delist, make_user

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


@pytest.fixture(autouse=True)
def no_login_failures_left_over():
    # Login failures are counted in the cache; one test's bad passwords must not lock another out.
    cache.clear()
    yield
    cache.clear()


def check_page(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    if response.headers.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
        assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)
        assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


def fetch(client: Client, url: str, *, method: str = "get", expect: int = 200, **kwargs):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == expect, (url, response.status_code)
    check_page(response)
    return response


def html_of(response) -> str:
    return response.content.decode()


def message_levels_of(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def notify(user, title: str = "通知", url: str = "") -> Notification:
    return notification_services.notification_create(
        recipient=user, kind="test", title=notification_services.verbatim(title), url=url
    )


def studio_url(studio: Studio, suffix: str = "") -> str:
    return f"/studios/{studio.pk}/{suffix}"


# --- home, login, logout, language --------------------------------------------------------------


def test_home_for_an_anonymous_visitor(cast):
    response = fetch(Client(), "/")
    html = html_of(response)
    assert '<html lang="zh-hans">' in html
    assert 'href="/login/"' in html
    assert 'action="/logout/"' not in html
    assert response.context["figures"].studio_total == 2
    assert response.context["figures"].unit_total == 3


def test_home_for_a_logged_in_member_lists_their_studio_and_notifications(cast):
    notify(cast.member, "欢迎加入")
    response = fetch(login(cast.member), "/")
    html = html_of(response)
    assert 'action="/logout/"' in html
    assert "一号工作室" in html
    assert "欢迎加入" in html
    assert f'data-user-topic="user:{cast.member.pk}"' in html
    assert response.context["unread_notifications"] == 1


def test_home_counts_only_active_studios(cast):
    delist(cast.studio2)
    assert fetch(Client(), "/").context["figures"].studio_total == 1


def test_home_lists_a_leaders_studio_once(cast):
    html = html_of(fetch(login(cast.leader1), "/"))
    my_studios = html.split("<h2>我的工作室</h2>")[1].split("</section>")[0]
    assert my_studios.count(f'href="{studio_url(cast.studio1)}"') == 1


def test_home_shows_coverage_gaps_to_admins_only(cast):
    Unit.objects.create(name="无工作室单位", parent=cast.group_g, headcount=500, has_union_committee=True)
    assert "无工作室单位" in html_of(fetch(login(cast.admin), "/"))
    assert "无工作室单位" not in html_of(fetch(login(cast.member), "/"))


def test_login_page_and_a_good_password(cast):
    client = Client()
    fetch(client, "/login/")
    response = fetch(
        client, "/login/", method="post", expect=302, data={"username": "member", "password": "pw-for-tests"}
    )
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_login_with_a_bad_password_fails(cast):
    client = Client()
    response = fetch(client, "/login/", method="post", data={"username": "member", "password": "wrong"})
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next_but_not_a_foreign_one(cast):
    response = Client().post(
        "/login/?next=/profile/", {"username": "member", "password": "pw-for-tests", "next": "/profile/"}
    )
    assert response["Location"] == "/profile/"
    response = Client().post(
        "/login/", {"username": "member", "password": "pw-for-tests", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_forged_forwarded_addresses_do_not_dodge_the_login_lockout(cast, settings):
    settings.USE_X_FORWARDED_FOR = True
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    real_address = "198.51.100.20"  # what nginx appends; the attacker controls everything before it
    for n in range(3):
        client.post(
            "/login/",
            {"username": "member", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, {real_address}",
        )
    response = client.post(
        "/login/",
        {"username": "member", "password": "pw-for-tests"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"10.0.0.99, {real_address}",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_login_lockout_holds_for_one_address(cast, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        fetch(client, "/login/", method="post", data={"username": "member", "password": "wrong"})
    fetch(client, "/login/", method="post", data={"username": "member", "password": "pw-for-tests"})
    assert "_auth_user_id" not in client.session


def test_a_logged_in_user_is_sent_on_from_the_login_page(cast):
    fetch(login(cast.member), "/login/", expect=302)


def test_logout_is_post_only_and_works(cast):
    client = login(cast.member)
    fetch(client, "/logout/", expect=405)
    assert "_auth_user_id" in client.session
    response = fetch(client, "/logout/", method="post", expect=302)
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert fetch(client, "/profile/", expect=302)["Location"].startswith("/login/")


def test_password_change(cast):
    client = login(cast.member)
    fetch(client, "/password/")
    response = fetch(
        client,
        "/password/",
        method="post",
        expect=302,
        data={
            "old_password": "pw-for-tests",
            "new_password1": "Gq7-zhanbang-2025!",
            "new_password2": "Gq7-zhanbang-2025!",
        },
    )
    assert response["Location"] == "/password/done/"
    fetch(client, "/password/done/")  # still logged in after the change
    cast.member.refresh_from_db()
    assert cast.member.check_password("Gq7-zhanbang-2025!")


def test_password_change_with_a_wrong_old_password_fails(cast):
    response = fetch(
        login(cast.member),
        "/password/",
        method="post",
        data={
            "old_password": "nope",
            "new_password1": "Gq7-zhanbang-2025!",
            "new_password2": "Gq7-zhanbang-2025!",
        },
    )
    assert "old_password" in response.context["form"].errors
    cast.member.refresh_from_db()
    assert cast.member.check_password("pw-for-tests")


def test_the_default_language_is_simplified_chinese_and_it_can_be_switched(cast):
    client = login(cast.member)
    assert '<html lang="zh-hans">' in html_of(fetch(client, "/"))
    response = fetch(
        client, "/i18n/setlang/", method="post", expect=302, data={"language": "en", "next": "/"}
    )
    assert response["Location"] == "/"
    html = html_of(fetch(client, "/"))
    assert '<html lang="en">' in html
    assert 'name="language" value="zh-hans"' in html


# --- login-only pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/profile/",
        "/profile/edit/",
        "/notifications/",
        "/password/",
        "/studios/",
        "/studios/{studio}/",
        "/studios/{studio}/members/",
        "/units/{unit}/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(cast, path):
    path = path.format(studio=cast.studio1.pk, unit=cast.unit_a.pk)
    response = fetch(Client(), path, expect=302)
    assert response["Location"] == f"/login/?next={path}"


WRITE_PAGES = [
    "/notifications/read-all/",
    "/studios/{studio}/members/add/",
    "/studios/{studio}/members/{member}/remove/",
    "/studios/{studio}/edit/",
    "/studios/{studio}/delist/",
]


@pytest.mark.parametrize("path", WRITE_PAGES)
def test_anonymous_posts_change_nothing(cast, path):
    path = path.format(studio=cast.studio1.pk, member=cast.member.pk)
    response = fetch(Client(), path, method="post", expect=302, data={"username": "expert", "reason": "x"})
    assert response["Location"].startswith("/login/")
    assert StudioMembership.objects.count() == 3
    assert Studio.objects.get(pk=cast.studio1.pk).is_active


@pytest.mark.parametrize("path", WRITE_PAGES)
def test_write_pages_refuse_get(cast, path):
    path = path.format(studio=cast.studio1.pk, member=cast.member.pk)
    fetch(login(cast.admin), path, expect=405)
    assert StudioMembership.objects.filter(user=cast.member).exists()


# --- profile ------------------------------------------------------------------------------------


def test_profile_shows_the_user_memberships_and_roles(cast):
    html = html_of(fetch(login(cast.member), "/profile/"))
    assert "member" in html
    assert "一号工作室" in html
    assert "焊接" in html_of(fetch(login(cast.expert), "/profile/"))
    assert "集团G" in html_of(fetch(login(cast.admin), "/profile/"))


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "新名字",
        "job_title": "高级技师",
        "phone": "+86 138-0000-0000",
        "email": "member@example.com",
        "birth_year": "1990",
    }
    data.update(overrides)
    return data


def test_profile_edit_saves(cast):
    client = login(cast.member)
    fetch(client, "/profile/edit/")
    response = fetch(client, "/profile/edit/", method="post", expect=302, data=profile_data())
    assert response["Location"] == "/profile/"
    cast.member.refresh_from_db()
    assert (cast.member.display_name, cast.member.job_title, cast.member.birth_year) == (
        "新名字",
        "高级技师",
        1990,
    )
    assert message_levels_of(response) == [message_levels.SUCCESS]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_year": "1900"}, "birth_year"),
        ({"birth_year": "2016"}, "birth_year"),
        ({"birth_year": "-5"}, "birth_year"),
        ({"birth_year": "abcd"}, "birth_year"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_profile_edit_rejects_bad_values(cast, overrides, field):
    response = fetch(
        login(cast.member), "/profile/edit/", method="post", expect=400, data=profile_data(**overrides)
    )
    assert field in response.context["form"].errors
    cast.member.refresh_from_db()
    assert cast.member.display_name == "MEMBER"
    assert cast.member.birth_year == 1996


@pytest.mark.parametrize(
    ("name", "size"), [("avatar.svg", 100), ("avatar.exe", 100), ("avatar.png", 1024 * 1024 + 1)]
)
def test_profile_edit_rejects_a_bad_avatar(cast, name, size):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, b"\x89PNG" + b"0" * (size - 4), content_type="image/png")
    response = fetch(
        login(cast.member),
        "/profile/edit/",
        method="post",
        expect=400,
        data={**profile_data(), "avatar": upload},
    )
    assert "avatar" in response.context["form"].errors
    cast.member.refresh_from_db()
    assert not cast.member.avatar


@pytest.mark.parametrize("year", ["1930", "2015", ""])
def test_profile_edit_accepts_boundary_years_and_no_year(cast, year):
    fetch(login(cast.member), "/profile/edit/", method="post", expect=302, data=profile_data(birth_year=year))
    cast.member.refresh_from_db()
    assert cast.member.birth_year == (int(year) if year else None)


# --- notifications ------------------------------------------------------------------------------


def test_notifications_page_lists_own_and_filters_unread(cast):
    read = notify(cast.member, "已读的通知")
    notification_services.notification_mark_read(user=cast.member, notification_id=read.pk)
    notify(cast.member, "未读的通知")
    notify(cast.leader1, "别人的通知")
    client = login(cast.member)
    html = html_of(fetch(client, "/notifications/"))
    assert "已读的通知" in html
    assert "未读的通知" in html
    assert "别人的通知" not in html
    unread_only = html_of(fetch(client, "/notifications/?unread=1"))
    assert "未读的通知" in unread_only
    assert "已读的通知" not in unread_only


def test_marking_read_goes_to_the_notifications_link(cast):
    notification = notify(cast.member, url=studio_url(cast.studio1))
    response = fetch(login(cast.member), f"/notifications/{notification.pk}/read/", method="post", expect=302)
    assert response["Location"] == studio_url(cast.studio1)
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize(
    "url", ["", "//evil.example.com/", "https://evil.example.com/", "javascript:alert(1)"]
)
def test_marking_read_never_redirects_off_site(cast, url):
    notification = notify(cast.member, url=url)
    response = fetch(login(cast.member), f"/notifications/{notification.pk}/read/", method="post", expect=302)
    assert response["Location"] == "/notifications/"


def test_marking_read_with_htmx_returns_the_item_fragment(cast):
    notification = notify(cast.member, "片段通知")
    response = fetch(
        login(cast.member),
        f"/notifications/{notification.pk}/read/",
        method="post",
        headers={"HX-Request": "true"},
    )
    html = html_of(response).strip()
    assert html.startswith("<li")
    assert "<html" not in html
    assert f'data-notification-id="{notification.pk}"' in html
    assert "片段通知" in html
    assert "unread" not in html
    assert "notification_read" not in html and f"/notifications/{notification.pk}/read/" not in html
    notification.refresh_from_db()
    assert notification.is_read


def test_marking_another_users_notification_is_not_found(cast):
    notification = notify(cast.member)
    fetch(login(cast.outsider), f"/notifications/{notification.pk}/read/", method="post", expect=404)
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read(cast):
    for n in range(3):
        notify(cast.member, f"第{n}条")
    other = notify(cast.leader1)
    response = fetch(login(cast.member), "/notifications/read-all/", method="post", expect=302)
    assert response["Location"] == "/notifications/"
    assert unread_count(cast.member) == 0
    other.refresh_from_db()
    assert not other.is_read


# --- units --------------------------------------------------------------------------------------


def test_unit_page_shows_its_studios_and_coverage(cast):
    response = fetch(login(cast.outsider), f"/units/{cast.unit_a.pk}/")
    html = html_of(response)
    assert "单位A" in html
    assert "一号工作室" in html
    assert "二号工作室" not in html
    assert response.context["coverage"].covered == 1


def test_group_page_lists_member_units(cast):
    response = fetch(login(cast.member), f"/units/{cast.group_g.pk}/")
    assert [unit.name for unit in response.context["children"]] == ["单位A", "单位B"]
    assert f'href="/units/{cast.unit_a.pk}/"' in html_of(response)


def test_unknown_unit_is_not_found(cast):
    fetch(login(cast.member), "/units/987654/", expect=404)


def test_group_page_does_not_count_delisted_studios_for_a_non_admin(cast):
    delist(cast.studio2)
    response = fetch(login(cast.outsider), f"/units/{cast.group_g.pk}/")
    counts = {unit.name: unit.studio_count for unit in response.context["children"]}
    # The unit B page itself shows no studio to this viewer.
    assert list(fetch(login(cast.outsider), f"/units/{cast.unit_b.pk}/").context["studios"]) == []
    assert counts == {"单位A": 1, "单位B": 0}


# --- studio directory ---------------------------------------------------------------------------


def test_studio_directory_lists_active_studios(cast):
    html = html_of(fetch(login(cast.outsider), "/studios/"))
    assert "一号工作室" in html
    assert "二号工作室" in html
    assert '<form class="filters card"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=一号", {"一号工作室"}),
        ("type=research", {"二号工作室"}),
        ("level=group", {"一号工作室"}),
        ("q=单位B&type=skill", set()),
        ("type=not-a-type", {"一号工作室", "二号工作室"}),
    ],
)
def test_studio_directory_filters(cast, query, expected):
    response = fetch(login(cast.member), f"/studios/?{query}")
    assert {studio.name for studio in response.context["page"]} == expected


def test_studio_directory_hides_delisted_studios_from_members_but_not_admins(cast):
    delist(cast.studio2)
    assert "二号工作室" not in html_of(fetch(login(cast.leader2), "/studios/"))
    assert "二号工作室" in html_of(fetch(login(cast.admin), "/studios/"))


def test_studio_directory_with_htmx_returns_only_the_results(cast):
    response = fetch(login(cast.member), "/studios/?q=二号", headers={"HX-Request": "true"})
    html = html_of(response)
    assert "<html" not in html
    assert '<form class="filters' not in html
    assert "二号工作室" in html
    assert "一号工作室" not in html
    assert 'class="studio-grid"' in html


# --- studio page --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_studio_page_shows_each_role_exactly_its_tools(cast, role):
    html = html_of(fetch(login(cast.everyone()[role]), studio_url(cast.studio1)))
    assert "一号工作室" in html
    assert "MEMBER" in html
    assert (f'action="{studio_url(cast.studio1, "members/add/")}"' in html) == (role in EDITORS)
    assert (f'action="{studio_url(cast.studio1, f"members/{cast.member.pk}/remove/")}"' in html) == (
        role in EDITORS
    )
    assert (f'action="{studio_url(cast.studio1, "edit/")}"' in html) == (role in EDITORS)
    assert (f'action="{studio_url(cast.studio1, "delist/")}"' in html) == (role in ADMINS)
    assert (f'data-live-topic="studio:{cast.studio1.pk}"' in html) == (role in LIVE_FOLLOWERS)


def test_nobody_gets_a_button_to_remove_the_leader(cast):
    html = html_of(fetch(login(cast.admin), studio_url(cast.studio1)))
    assert f"members/{cast.leader1.pk}/remove/" not in html


@pytest.mark.parametrize("role", ROLES)
def test_a_delisted_studio_is_shown_only_to_its_people_and_admins(cast, role):
    delist(cast.studio1, "近两年无新增成果")
    expected = 200 if role in LIVE_FOLLOWERS else 403
    response = fetch(login(cast.everyone()[role]), studio_url(cast.studio1), expect=expected)
    html = html_of(response)
    if expected == 200:
        assert "近两年无新增成果" in html
        assert "members/add/" not in html
        assert f'action="{studio_url(cast.studio1, "delist/")}"' not in html
    else:
        assert "近两年无新增成果" not in html


def test_studio_members_fragment(cast):
    client = login(cast.leader1)
    response = fetch(client, studio_url(cast.studio1, "members/"), HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert "<html" not in html
    assert html.lstrip().startswith("<table")
    assert "MEMBER" in html
    assert "HX-Request" in response["Vary"]
    # Opened on its own (no htmx), the URL gives the whole studio page, with its title and lang.
    whole = html_of(fetch(client, studio_url(cast.studio1, "members/")))
    assert "<html lang=" in whole and "<title>" in whole and "MEMBER" in whole


def test_unknown_studio_is_not_found(cast):
    fetch(login(cast.member), "/studios/987654/", expect=404)


# --- studio forms -------------------------------------------------------------------------------


def test_leader_adds_a_member_through_the_form(cast):
    response = fetch(
        login(cast.leader1),
        studio_url(cast.studio1, "members/add/"),
        method="post",
        expect=302,
        data={"username": " expert ", "role": "core"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response["Location"] == studio_url(cast.studio1)
    assert StudioMembership.objects.get(studio=cast.studio1, user=cast.expert).role == "core"
    assert message_levels_of(response) == [message_levels.SUCCESS]
    from platform_core.audit.models import AuditEntry

    assert AuditEntry.objects.get(action="studio.member_added").ip_address == "198.51.100.7"


@pytest.mark.parametrize("role", every_role_except(EDITORS))
def test_wrong_roles_cannot_add_members_through_the_form(cast, role):
    fetch(
        login(cast.everyone()[role]),
        studio_url(cast.studio1, "members/add/"),
        method="post",
        expect=403,
        data={"username": "expert", "role": "member"},
    )
    assert not StudioMembership.objects.filter(user=cast.expert).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"username": "nobody-by-this-name", "role": "member"},
        {"username": "expert", "role": "leader"},
        {"username": "", "role": "member"},
        {"username": "member", "role": "member"},
    ],
)
def test_bad_member_form_input_is_reported_and_changes_nothing(cast, data):
    # The studio page again, in place (forms_flow): what was typed, and the error in the form.
    response = fetch(
        login(cast.leader1), studio_url(cast.studio1, "members/add/"), method="post", expect=400, data=data
    )
    assert StudioMembership.objects.filter(studio=cast.studio1).count() == 2
    html = html_of(response)
    assert 'class="error"' in html or "message-error" in html
    if data["username"]:
        assert f'value="{data["username"]}"' in html
    assert message_levels_of(response) == []


def test_leader_removes_a_member_through_the_form(cast):
    response = fetch(
        login(cast.leader1),
        studio_url(cast.studio1, f"members/{cast.member.pk}/remove/"),
        method="post",
        expect=302,
    )
    assert response["Location"] == studio_url(cast.studio1)
    assert not StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()


def test_a_member_leaves_through_the_form_and_lands_on_the_directory(cast):
    response = fetch(
        login(cast.member),
        studio_url(cast.studio1, f"members/{cast.member.pk}/remove/"),
        method="post",
        expect=302,
    )
    assert response["Location"] == "/studios/"
    assert not StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()


@pytest.mark.parametrize("role", every_role_except(EDITORS, "member"))  # a member may leave
def test_wrong_roles_cannot_remove_members_through_the_form(cast, role):
    fetch(
        login(cast.everyone()[role]),
        studio_url(cast.studio1, f"members/{cast.member.pk}/remove/"),
        method="post",
        expect=403,
    )
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.member).exists()


def test_removing_the_leader_through_the_form_is_refused_with_a_message(cast):
    response = fetch(
        login(cast.admin),
        studio_url(cast.studio1, f"members/{cast.leader1.pk}/remove/"),
        method="post",
        expect=302,
    )
    assert StudioMembership.objects.filter(studio=cast.studio1, user=cast.leader1).exists()
    assert message_levels_of(response) == [message_levels.ERROR]


def test_removing_an_unknown_user_is_not_found(cast):
    fetch(login(cast.leader1), studio_url(cast.studio1, "members/987654/remove/"), method="post", expect=404)


def test_leader_edits_the_studio_through_the_form(cast):
    fetch(
        login(cast.leader1),
        studio_url(cast.studio1, "edit/"),
        method="post",
        expect=302,
        data={"description": "简介\x07\u202e第二句", "work_fields": "焊接，数控、质量"},
    )
    cast.studio1.refresh_from_db()
    assert cast.studio1.description == "简介第二句"
    assert cast.studio1.fields == ["焊接", "数控", "质量"]


@pytest.mark.parametrize(
    "data", [{"description": "新", "work_fields": "长" * 401}, {"description": "新\x00"}]
)
def test_studio_edit_form_rejects_overlong_fields_and_null_characters(cast, data):
    response = fetch(
        login(cast.leader1), studio_url(cast.studio1, "edit/"), method="post", expect=400, data=data
    )
    cast.studio1.refresh_from_db()
    assert cast.studio1.description == ""
    assert 'class="error"' in html_of(response)


@pytest.mark.parametrize("role", every_role_except(EDITORS))
def test_wrong_roles_cannot_edit_the_studio(cast, role):
    fetch(
        login(cast.everyone()[role]),
        studio_url(cast.studio1, "edit/"),
        method="post",
        expect=403,
        data={"description": "被篡改", "work_fields": ""},
    )
    cast.studio1.refresh_from_db()
    assert cast.studio1.description == ""


def test_admin_delists_through_the_form(cast):
    response = fetch(
        login(cast.admin),
        studio_url(cast.studio1, "delist/"),
        method="post",
        expect=302,
        data={"reason": "复评未通过"},
    )
    assert response["Location"] == studio_url(cast.studio1)
    cast.studio1.refresh_from_db()
    assert cast.studio1.status == Studio.Status.DELISTED
    assert cast.studio1.delisted_reason == "复评未通过"


@pytest.mark.parametrize("role", every_role_except(ADMINS))
def test_wrong_roles_cannot_delist(cast, role):
    fetch(
        login(cast.everyone()[role]),
        studio_url(cast.studio1, "delist/"),
        method="post",
        expect=403,
        data={"reason": "我想摘牌"},
    )
    assert Studio.objects.get(pk=cast.studio1.pk).is_active


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x01"])
def test_delisting_without_a_reason_through_the_form_changes_nothing(cast, reason):
    response = fetch(
        login(cast.admin),
        studio_url(cast.studio1, "delist/"),
        method="post",
        expect=400,
        data={"reason": reason},
    )
    assert Studio.objects.get(pk=cast.studio1.pk).is_active
    assert 'class="error"' in html_of(response) or "message-error" in html_of(response)


def test_an_outsider_cannot_post_to_a_delisted_studio(cast):
    delist(cast.studio1)
    client = login(cast.outsider)
    for suffix, data in [
        ("members/add/", {"username": "outsider", "role": "member"}),
        ("edit/", {"description": "x"}),
        ("delist/", {"reason": "x"}),
    ]:
        fetch(client, studio_url(cast.studio1, suffix), method="post", expect=403, data=data)
    assert not StudioMembership.objects.filter(user=cast.outsider).exists()


# --- query counts: listing pages must not grow per row ------------------------------------------


def count_queries(client: Client, url: str) -> int:
    fetch(client, url)  # warm up sessions and caches
    with CaptureQueriesContext(connection) as context:
        fetch(client, url)
    return len(context)


def extra_units(count: int) -> list[Unit]:
    return [
        Unit.objects.create(name=f"附加单位{n}", parent=Unit.objects.get(name="集团G")) for n in range(count)
    ]


def test_studio_directory_queries_do_not_grow_with_studios(cast, django_assert_max_num_queries):
    client = login(cast.admin)
    baseline = count_queries(client, "/studios/")
    for n, unit in enumerate(extra_units(30)):
        leader = make_user(f"extra-leader{n}", unit)
        studio = Studio.objects.create(name=f"附加工作室{n:02d}", unit=unit, type="skill", leader=leader)
        StudioMembership.objects.create(
            studio=studio, user=leader, role="leader", joined_on=datetime.date(2024, 1, 1)
        )
    delist(Studio.objects.get(name="附加工作室00"))
    with django_assert_max_num_queries(baseline):
        response = fetch(client, "/studios/")
    assert len(response.context["page"]) == 24


def test_studio_page_queries_do_not_grow_with_members(cast, django_assert_max_num_queries):
    client = login(cast.leader1)
    baseline = count_queries(client, studio_url(cast.studio1))
    for n, unit in enumerate(extra_units(30)):
        user = make_user(f"extra{n}", unit, birth_year=1960 + n)
        StudioMembership.objects.create(studio=cast.studio1, user=user, joined_on=datetime.date(2024, 3, 1))
    with django_assert_max_num_queries(baseline):
        response = fetch(client, studio_url(cast.studio1))
    assert "EXTRA29" in html_of(response)
    assert response.context["structure"].total == 32


def test_studio_members_fragment_queries_do_not_grow_with_members(cast, django_assert_max_num_queries):
    client = login(cast.leader1)
    url = studio_url(cast.studio1, "members/")
    baseline = count_queries(client, url)
    for n, unit in enumerate(extra_units(30)):
        user = make_user(f"extra{n}", unit)
        StudioMembership.objects.create(studio=cast.studio1, user=user, joined_on=datetime.date(2024, 3, 1))
    with django_assert_max_num_queries(baseline):
        fetch(client, url)


def test_unit_page_queries_do_not_grow_with_studios(cast, django_assert_max_num_queries):
    client = login(cast.member)
    url = f"/units/{cast.unit_a.pk}/"
    baseline = count_queries(client, url)
    for n in range(30):
        leader = make_user(f"extra-leader{n}", cast.unit_a)
        Studio.objects.create(name=f"附加工作室{n:02d}", unit=cast.unit_a, type="service", leader=leader)
    with django_assert_max_num_queries(baseline):
        response = fetch(client, url)
    assert len(response.context["studios"]) == 31


def test_group_page_queries_do_not_grow_with_member_units(cast, django_assert_max_num_queries):
    client = login(cast.member)
    url = f"/units/{cast.group_g.pk}/"
    baseline = count_queries(client, url)
    extra_units(30)
    with django_assert_max_num_queries(baseline):
        response = fetch(client, url)
    assert len(response.context["children"]) == 32


def test_notifications_page_queries_do_not_grow_with_notifications(cast, django_assert_max_num_queries):
    client = login(cast.member)
    notify(cast.member)
    baseline = count_queries(client, "/notifications/")
    for n in range(30):
        notify(cast.member, f"第{n}条", url=studio_url(cast.studio1))
    with django_assert_max_num_queries(baseline):
        html = html_of(fetch(client, "/notifications/"))
    assert "第29条" in html


def test_home_queries_do_not_grow_with_memberships(cast, django_assert_max_num_queries):
    client = login(cast.member)
    baseline = count_queries(client, "/")
    for n, unit in enumerate(extra_units(30)):
        leader = make_user(f"extra-leader{n}", unit)
        studio = Studio.objects.create(name=f"附加工作室{n:02d}", unit=unit, type="skill", leader=leader)
        StudioMembership.objects.create(studio=studio, user=cast.member, joined_on=datetime.date(2024, 1, 1))
        notify(cast.member, f"第{n}条")
    with django_assert_max_num_queries(baseline):
        html = html_of(fetch(client, "/"))
    assert "附加工作室29" in html


def test_the_login_page_shows_the_platform_name_not_the_host(client):
    # Django's LoginView puts the current site's name (the host) in `site_name`; the layout must
    # not use that name for the platform.
    html = client.get("/login/").content.decode()
    assert "揭榜挂帅创新协作平台</span>" in html


def test_the_studio_history_is_shown_to_its_leader_and_admin_only(cast):
    from platform_core.orgs import services

    services.studio_update(actor=cast.leader1, studio=cast.studio1, description="新简介")
    for user in (cast.leader1, cast.admin):
        response = fetch(login(user), studio_url(cast.studio1))
        trail = [entry.action for entry in response.context["audit_trail"]]
        assert trail == ["studio.updated", "studio.created"]
        assert "编辑了工作室简介" in html_of(response)
    for user in (cast.member, cast.outsider, cast.leader2):
        response = fetch(login(user), studio_url(cast.studio1))
        assert list(response.context["audit_trail"]) == []


def test_saving_the_profile_does_not_undo_an_admin_change_made_meanwhile(cast):
    from django.contrib.auth import get_user_model

    client = login(cast.member)
    stale = get_user_model().objects.get(pk=cast.member.pk)
    # Meanwhile an admin gives the member staff rights and a new title elsewhere.
    get_user_model().objects.filter(pk=cast.member.pk).update(is_staff=True, job_title="旧职务")
    response = client.post(
        "/profile/edit/",
        {"display_name": "新名字", "job_title": "旧职务", "phone": "", "email": "", "birth_year": ""},
    )
    assert response.status_code == 302
    fresh = get_user_model().objects.get(pk=stale.pk)
    assert fresh.display_name == "新名字"
    assert fresh.is_staff is True
