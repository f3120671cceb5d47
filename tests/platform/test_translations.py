"""Simplified Chinese is complete and compiled; English is available."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_committed_catalogues_are_compiled_from_the_current_po(language, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("needs GNU gettext (msgfmt)")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages` and commit"


def test_every_chinese_string_is_translated():
    if not shutil.which("msgattrib"):
        pytest.skip("needs GNU gettext (msgattrib)")
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", str(po)], capture_output=True, text=True, check=True
    )
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True, check=True)
    assert "msgid" not in untranslated.stdout.replace('msgid ""\nmsgstr ""', "", 1)
    assert "msgid" not in fuzzy.stdout.replace('msgid ""\nmsgstr ""', "", 1)


def test_the_interface_speaks_chinese_by_default_and_english_on_request():
    with translation.override("zh-hans"):
        assert translation.gettext("Open Challenge Platform") == "揭榜挂帅创新协作平台"
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Skill and technique (技能技术型)") == "Skill and technique"
        assert translation.gettext("Log in") == "Log in"


@pytest.mark.django_db
def test_pages_are_chinese_whatever_the_browser_asks_until_english_is_chosen(client):
    page = client.get("/challenges/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert '<html lang="zh-hans"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/challenges/"})
    page = client.get("/challenges/")
    assert '<html lang="en"' in page.content.decode()
    client.cookies["django_language"] = "xx-unknown"
    assert '<html lang="zh-hans"' in client.get("/challenges/").content.decode()


@pytest.mark.django_db
def test_api_clients_still_negotiate_their_language(client):
    english = client.get("/api/v1/studios/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/studios/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code in {401, 403}
    assert english.json()["detail"] != chinese.json()["detail"]
