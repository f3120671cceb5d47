"""Every upload, swept (issue 13, "Uploads, swept").

The uploads are found, not listed: every FileField of every model, every file field of every form
and DRF serializer of the project, every view that reads files (tests/platform/test_uploads.py) and
every view of the upload policy's UPLOAD_VIEWS (platform_core/uploads.py). Each (view, upload
kind) of the policy is a door; a door is taken from the view's row of the URL × role table
(tests/platform/url_role_table.py: a case whose writes go through and whose body carries a file)
or, where the table's rows do not upload, from EXTRA_DOORS below. A new upload that no door
covers fails `test_every_upload_of_the_policy_has_a_door`; a new model file field without its
download in SERVED fails `test_every_model_file_field_is_served_by_an_access_checked_door`.

Through each door (page and API) go, as a hostile client would send them (the multipart body is
written here: Django's test client would clean the name itself): a valid file, an oversize file,
an empty file, a wrong type, HTML and SVG renamed to an allowed extension (and markup named .txt),
a `../` name (both slashes) and a name with control, zero-width and bidi characters. Each is
either refused with the page's own message (the form again with the field's error, status 400;
or a redirect to a page showing it; the API's JSON error) and leaves nothing behind (no row, no
stored file), or stored under a random path and a clean name and served so that no browser runs
it: attachment disposition (pictures, decoded and encoded afresh, may be inline), nosniff, a
sandbox, the clean name, and access checked on every download against the rule.
"""

from __future__ import annotations

import io
import json
import mimetypes
import pkgutil
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from alliances import permissions as alliance_permissions
from alliances.consulting import permissions as consulting_permissions
from alliances.exchange import permissions as exchange_permissions
from alliances.learning import permissions as learning_permissions
from challenges import permissions as challenge_permissions
from challenges import selectors as challenge_selectors
from challenges.services import challenges as challenge_services
from platform_core.accounts.admin import UserChangeForm
from platform_core.orgs.naming import permissions as naming_permissions
from platform_core.throttle_store import throttle_store
from platform_core.uploads import (
    ACHIEVEMENT_IMAGE,
    AVATAR,
    CHALLENGE_FILE,
    LESSON_IMAGE,
    UPLOAD_VIEWS,
    PolicyFileField,
    UploadKind,
    clean_file_name,
)
from showcase import permissions as showcase_permissions
from tests.cast import make_cast
from tests.challenges.conftest import challenge_fields
from tests.platform.test_uploads import views_by_name
from tests.platform.test_url_role_matrix import snapshot
from tests.platform.url_role_table import ANONYMOUS, ROWS
from tests.platform.url_role_world import MatrixWorld, make_matrix_world

PROJECT_PACKAGES = ("platform_core", "frontend", "challenges", "alliances", "showcase")
LANGUAGE = "zh-hans"  # the platform's default language: what a visitor without a choice reads

HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect/></svg>'
PE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode."


# --- finding every upload ----------------------------------------------------------------------


def project_modules() -> list[str]:
    names = []
    for package in PROJECT_PACKAGES:
        module = import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or info.name.endswith((".wsgi", ".asgi")):
                continue
            import_module(info.name)
            names.append(info.name)
    return names


def subclasses(base: type) -> set[type]:
    project_modules()
    found: set[type] = set()
    pending = [base]
    while pending:
        for each in pending.pop().__subclasses__():
            if each not in found:
                found.add(each)
                pending.append(each)
    return {each for each in found if each.__module__.split(".")[0] in PROJECT_PACKAGES}


def model_file_fields() -> set[str]:
    return {
        f"{model._meta.label}.{each.name}"
        for model in apps.get_models()
        for each in model._meta.get_fields()
        if isinstance(each, models.FileField)
    }


def test_every_form_file_field_is_a_field_of_the_policy():
    """A form's file field is the policy's: its limit, its types, and `UploadKind.admit` (clean
    name, no empty file, content that is what the name says) whoever renders the form."""
    found = {}
    for form_class in subclasses(forms.BaseForm):
        for name, each in form_class.base_fields.items():
            if isinstance(each, forms.FileField):
                found[f"{form_class.__module__}.{form_class.__name__}.{name}"] = each
    assert "frontend.forms.ProfileForm.avatar" in found, "the profile form takes an avatar"
    assert "platform_core.accounts.admin.UserChangeForm.avatar" in found, "so does the admin's"
    wrong = [name for name, each in found.items() if not isinstance(each, PolicyFileField)]
    assert not wrong, f"file fields outside the upload policy: {wrong}"


def serializer_file_fields() -> dict[str, type]:
    found = {}
    for serializer_class in subclasses(serializers.BaseSerializer):
        declared = getattr(serializer_class, "_declared_fields", {})
        try:
            fields = dict(serializer_class().fields)
        except Exception:  # a serializer that needs its context to list its fields
            fields = dict(declared)
        for name, each in fields.items():
            if isinstance(each, serializers.FileField) and not each.read_only:
                found[f"{serializer_class.__name__}.{name}"] = serializer_class
    return found


def test_every_serializer_that_takes_a_file_is_read_only_by_upload_views_of_the_policy():
    import inspect

    found = serializer_file_fields()
    assert {"AttachmentInput.file", "ChatAttachmentInput.file", "AchievementFileInput.file"} <= set(found)
    views = dict(views_by_name())
    for label, serializer_class in found.items():
        readers = [
            name
            for name, callback in views.items()
            if not name.startswith("admin:")
            and re.search(
                rf"\b{serializer_class.__name__}\b",
                inspect.getsource(getattr(callback, "cls", None) or inspect.unwrap(callback)),
            )
        ]
        assert readers, f"{label}: no view reads it"
        assert set(readers) <= set(UPLOAD_VIEWS), f"{label} is read by {set(readers) - set(UPLOAD_VIEWS)}"


# --- how each stored file is served ------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """How a model's stored files are read back: the download URLs of a row, and the rule that
    says who may read it (None: a public picture, decoded and encoded afresh on the way in)."""

    urls: Callable[[models.Model], list[str]]
    may_read: Callable[[object, models.Model], bool] | None
    # The name the download offers, from the row.
    name: Callable[[models.Model], str] = lambda row: row.name  # type: ignore[attr-defined]


def _challenge_attachment_readable(user, row) -> bool:
    owner = row.bid or row.milestone
    challenge_id = row.challenge_id or (owner.challenge_id if owner is not None else None)
    state = challenge_selectors.effective_state_by_pk(challenge_id) if challenge_id else ""
    return challenge_permissions.can_download_attachment(user, row, state=state)


SERVED: dict[str, Served] = {
    "accounts.User.avatar": Served(urls=lambda row: [], may_read=None, name=lambda row: ""),
    # A spreadsheet to import is kept only to be read by the import (its hash confirmed): never served.
    "orgs.ImportJob.file": Served(urls=lambda row: [], may_read=None, name=lambda row: ""),
    "orgs.EvidenceFile.file": Served(
        urls=lambda row: [reverse("naming:evidence", args=[row.pk])],
        may_read=lambda user, row: naming_permissions.can_read_assessment(user, row.nomination),
    ),
    "challenges.Attachment.file": Served(
        urls=lambda row: [reverse("api-challenge-attachment", args=[row.pk])],
        may_read=_challenge_attachment_readable,
    ),
    "alliances.Attachment.file": Served(
        urls=lambda row: [reverse("api-room-attachment-download", args=[row.room_id, row.pk])],
        may_read=lambda user, row: alliance_permissions.is_room_member(user, row.room),
    ),
    # Audio, video and captions arrive in chunks through their own API (/api/v1/media/uploads/,
    # not a door of the policy: tests/media/test_upload_attacks.py sends this sweep's attacks
    # through it) and are read back only through the view of the object they are attached to (a
    # lesson, a recording), which checks its own access rule and calls media/serving.py's
    # media_response. The app that attaches them lists that view here with its rule.
    "media.MediaFile.file": Served(urls=lambda row: [], may_read=None, name=lambda row: ""),
    "consulting.ConsultationFile.file": Served(
        urls=lambda row: [reverse("consulting:file", args=[row.consultation_id, row.pk])],
        may_read=lambda user, row: consulting_permissions.can_see_consultation(user, row.consultation),
    ),
    "showcase.AchievementFile.file": Served(
        urls=lambda row: [
            reverse("showcase:file", args=[row.achievement_id, row.pk]),
            reverse("api-achievement-file", args=[row.achievement_id, row.pk]),
        ],
        may_read=lambda user, row: showcase_permissions.can_view_achievement(user, row.achievement),
    ),
    "exchange.PostImage.file": Served(
        urls=lambda row: [reverse("exchange:image", args=[row.pk])],
        may_read=lambda user, row: exchange_permissions.can_see_post(user, row.post),
    ),
    "learning.CourseFile.file": Served(
        urls=lambda row: [reverse("learning:file", args=[row.pk])],
        may_read=lambda user, row: learning_permissions.can_read_lessons(
            user, (row.lesson or row.session).course
        ),
    ),
}


def test_every_model_file_field_is_served_by_an_access_checked_door():
    assert model_file_fields() == set(SERVED)


# --- the doors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    view: str
    kind: UploadKind
    role: str
    url: str
    field: str
    data: dict = field(default_factory=dict)
    sample: Sample | None = None

    @property
    def api(self) -> bool:
        return self.url.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.view} [{self.kind.name}] as {self.role}"


@dataclass
class SweepWorld:
    matrix: MatrixWorld
    fresh: object  # a published challenge nobody has bid on yet


def _kind_of(view: str, file_name: str) -> UploadKind:
    kinds = UPLOAD_VIEWS[view]
    if len(kinds) == 1:
        return kinds[0]
    suffix = Path(file_name).suffix.lower()
    matching = [kind for kind in kinds if suffix in kind.extensions]
    assert len(matching) == 1, f"{view}: which kind takes {file_name}? {matching}"
    return matching[0]


def table_doors(world: SweepWorld) -> list[Door]:
    """The doors the URL × role table already opens: a case of an upload view whose writes go
    through for some role and whose body carries one file."""
    doors = []
    for view in UPLOAD_VIEWS:
        for case in ROWS.get(view, []):
            if not case.may:
                continue
            body = case.body(world.matrix)
            files = [name for name, value in body.items() if isinstance(value, File)]
            if len(files) != 1:
                continue
            (name,) = files
            rest = {key: value for key, value in body.items() if key != name}
            doors.append(
                Door(
                    view,
                    _kind_of(view, body[name].name),
                    case.may[0],
                    case.url(world.matrix, view),
                    name,
                    rest,
                )
            )
    return doors


def _bid_body(world: SweepWorld) -> dict:
    (case,) = ROWS["challenges:bid_edit"]
    return case.body(world.matrix)


def extra_doors(world: SweepWorld) -> list[Door]:
    """Doors the table's rows do not upload through: the avatar, the bid forms, a problem's file,
    the showcase's pictures, and the API's attachments to bids, milestones and problems."""
    m = world.matrix
    problem_case = ROWS["challenges:problems"][0]
    api = "api-attachment-upload"
    return [
        Door("accounts:profile_edit", AVATAR, "member", reverse("accounts:profile_edit"), "avatar",
             {"display_name": "新名字"}),
        Door("challenges:problems", CHALLENGE_FILE, "member", reverse("challenges:problems"), "file",
             problem_case.body(m)),
        Door("challenges:bid_new", CHALLENGE_FILE, "leader1",
             reverse("challenges:bid_new", args=[world.fresh.pk]), "file", _bid_body(world)),
        Door("challenges:bid_edit", CHALLENGE_FILE, "leader1",
             reverse("challenges:bid_edit", args=[m.bid_a.pk]), "file", _bid_body(world)),
        Door("showcase:file_add", ACHIEVEMENT_IMAGE, "leader1",
             reverse("showcase:file_add", args=[m.achievement.pk]), "file", {"kind": "image"}),
        Door("api-achievement-files", ACHIEVEMENT_IMAGE, "leader1",
             reverse("api-achievement-files", args=[m.achievement.pk]), "file", {"kind": "image"}),
        Door("learning:lesson_file_add", LESSON_IMAGE, "leader1",
             reverse("learning:lesson_file_add", args=[m.learning.lesson.pk]), "file", {"kind": "image"}),
        Door(api, CHALLENGE_FILE, "leader1", reverse(api, kwargs={"kind": "bids", "pk": m.bid_a.pk}), "file"),
        Door(api, CHALLENGE_FILE, "leader2",
             reverse(api, kwargs={"kind": "milestones", "pk": m.milestone_pending.pk}), "file"),
        Door(api, CHALLENGE_FILE, "member",
             reverse(api, kwargs={"kind": "problems", "pk": m.problem.pk}), "file"),
    ]  # fmt: skip


def all_doors(world: SweepWorld) -> list[Door]:
    return table_doors(world) + extra_doors(world)


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    media = override_settings(MEDIA_ROOT=str(root / "media"), PRIVATE_MEDIA_ROOT=str(root / "private"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        matrix = make_matrix_world(make_cast())
        cast = matrix.cast
        fresh = challenge_services.challenge_create(
            actor=cast.poster, unit=cast.unit_a, **challenge_fields(title="上传检查课题")
        )
        challenge_services.challenge_transition(actor=cast.poster, challenge=fresh, action="submit", text="")
        challenge_services.challenge_transition(actor=cast.admin, challenge=fresh, action="approve", text="")
        yield SweepWorld(matrix=matrix, fresh=fresh), root
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_upload_of_the_policy_has_a_door(sweep):
    world, _root = sweep
    covered = {(door.view, door.kind.name) for door in all_doors(world)}
    wanted = {(view, kind.name) for view, kinds in UPLOAD_VIEWS.items() for kind in kinds}
    assert wanted <= covered, f"uploads the sweep does not try: {sorted(wanted - covered)}"
    # Each kind that has an API door and a page door is tried through both. Page-only uploads: the
    # avatar (profile page), chat attachments (API only), a naming round's evidence (the
    # self-assessment page; the naming API reads evidence but takes none), a lesson's pictures and
    # attachments and a live session's slides (the lesson and session pages; the learning API
    # takes none).
    page_only = {
        "avatar",
        "chat_attachment",
        "naming_evidence",
        "lesson_image",
        "lesson_file",
        "session_slides",
    }
    for kind in {kind for _view, kind in covered}:
        doors = {door.url.startswith("/api/") for door in all_doors(world) if door.kind.name == kind}
        assert doors == {True, False} or kind in page_only, kind


# --- the files ---------------------------------------------------------------------------------


def picture(format: str = "PNG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(output, format)
    return output.getvalue()


def good_content(extension: str) -> bytes:
    samples = {
        ".pdf": b"%PDF-1.4\n% upload sweep\n%%EOF\n",
        ".png": picture("PNG"),
        ".jpg": picture("JPEG"),
        ".jpeg": picture("JPEG"),
        ".txt": "上传检查：纯文本。\n".encode(),
        ".csv": "名称,数量\n节能,3\n".encode(),
    }
    return samples[extension]


def sample_extension(kind: UploadKind) -> str:
    for extension in (".pdf", ".png", ".jpg", ".txt", ".csv"):
        if extension in kind.extensions:
            return extension
    raise AssertionError(f"the sweep has no sample file for {kind.name}: add one to good_content")


@dataclass(frozen=True)
class Sample:
    """A file the door takes: its extension and content (the table's own file for a door taken
    from the URL × role table, so an import is tried with a file it imports)."""

    extension: str
    content: bytes


def sample_for(door: Door) -> Sample:
    if door.sample is not None:
        return door.sample
    extension = sample_extension(door.kind)
    return Sample(extension, good_content(extension))


@dataclass(frozen=True)
class Attack:
    name: str
    refused: bool  # must be refused (else: refused, or stored and served safely)
    file: Callable[[UploadKind, Sample], tuple[str, bytes] | None]
    # Whether a refusal must name the kind's size limit.
    names_limit: bool = False


def _oversize(kind: UploadKind, sample: Sample) -> tuple[str, bytes]:
    return f"big{sample.extension}", sample.content + b"\0" * (kind.max_bytes + 1 - len(sample.content))


def _markup_as_text(kind: UploadKind, sample: Sample) -> tuple[str, bytes] | None:
    text = [extension for extension in (".txt", ".csv") if extension in kind.extensions]
    return (f"evil{text[0]}", HTML) if text else None


def _svg_renamed(kind: UploadKind, sample: Sample) -> tuple[str, bytes]:
    extension = ".png" if ".png" in kind.extensions else sample.extension
    return f"evil{extension}", SVG


HOSTILE_NAME = "\x00\x07报告\r\nX-Evil: 1\t\u202egnp.exe\u200b\u2066\ufeff"

ATTACKS = [
    Attack("valid", False, lambda kind, sample: (f"方案{sample.extension}", sample.content)),
    Attack("oversize", True, _oversize, names_limit=True),
    Attack("empty", True, lambda kind, sample: (f"empty{sample.extension}", b"")),
    Attack("wrong type", True, lambda kind, sample: ("setup.exe", PE)),
    Attack("html renamed", True, lambda kind, sample: (f"evil{sample.extension}", HTML)),
    Attack("svg renamed", True, _svg_renamed),
    Attack("markup as text", True, _markup_as_text),
    Attack(
        "dot-dot name",
        False,
        lambda kind, sample: (f"../../../../etc/cron.d/evil{sample.extension}", sample.content),
    ),
    Attack(
        "backslash dot-dot name",
        False,
        lambda kind, sample: (f"..\\..\\..\\evil{sample.extension}", sample.content),
    ),
    Attack(
        "control and bidi name",
        False,
        lambda kind, sample: (f"{HOSTILE_NAME}{sample.extension}", sample.content),
    ),
]


def multipart(data: dict, field_name: str, file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body as a browser, or a hostile client, sends it: the file name exactly as
    given (RFC 2231 `filename*` when it holds what a quoted header value cannot)."""
    boundary = f"sweep{uuid.uuid4().hex}"
    parts = []
    for key, value in data.items():
        for each in value if isinstance(value, list | tuple) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{each}\r\n'.encode()
            )
    if any(character in file_name for character in '\r\n"\x00'):
        disposition = f"filename*=UTF-8''{quote(file_name, safe='')}"
    else:
        disposition = f'filename="{file_name}"'
    content_type = mimetypes.guess_type(file_name.replace("\\", "/"))[0] or "application/octet-stream"
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; {disposition}\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- what a request left behind ----------------------------------------------------------------


def storage_roots() -> set[Path]:
    """Where the model file fields store (the private storage's root is fixed when the models load)."""
    roots = set()
    for label in model_file_fields():
        app_model, field_name = label.rsplit(".", 1)
        roots.add(Path(apps.get_model(app_model)._meta.get_field(field_name).storage.location).resolve())
    return roots


def stored_files() -> set[Path]:
    return {path for root in storage_roots() for path in root.rglob("*") if path.is_file()}


def stored_rows() -> set[tuple[str, int, str]]:
    rows = set()
    for label in model_file_fields():
        app_model, field_name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        for pk, name in model.objects.exclude(**{field_name: ""}).values_list("pk", field_name):
            rows.add((label, pk, name))
    return rows


def client_for(world: SweepWorld, role: str) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    if role != ANONYMOUS:
        client.force_login(getattr(world.matrix.cast, role))
    return client


def user_for(world: SweepWorld, role: str):
    return AnonymousUser() if role == ANONYMOUS else getattr(world.matrix.cast, role)


def error_texts(door: Door, response, client: APIClient) -> str:
    """What the page or the API said about a refused upload."""
    if door.api:
        return json.dumps(response.json(), ensure_ascii=False)
    if response.status_code == 302:
        # A page without a form to show again: the refusal is the message on the next page.
        said = [str(message) for message in get_messages(response.wsgi_request)]
        page = client.get(response["Location"])
        return "\n".join(said) + page.content.decode()
    return response.content.decode()


def refusal_messages(kind: UploadKind, attack: Attack) -> list[str]:
    with translation.override(LANGUAGE):
        if attack.names_limit:
            return [kind.too_large_message()]
        return [
            translation.gettext("This kind of file is not accepted."),
            translation.gettext("The submitted file is empty."),
            translation.gettext("Upload a PNG, JPEG or WebP picture."),
        ]


def disposition_name(header: str) -> str:
    star = re.search(r"filename\*=utf-8''([^;]+)", header, re.IGNORECASE)
    if star:
        return unquote(star.group(1))
    plain = re.search(r'filename="((?:[^"\\]|\\.)*)"', header)
    return plain.group(1).replace('\\"', '"').replace("\\\\", "\\") if plain else ""


def assert_safe_name(name: str) -> None:
    assert name and name == clean_file_name(name), repr(name)
    assert not re.search(r"[\\/]", name) and not name.startswith("."), repr(name)
    categories = {unicodedata.category(character) for character in name}
    assert not categories & {"Cc", "Cf", "Cs", "Zl", "Zp"}, repr(name)


def check_served(world: SweepWorld, door: Door, label: str, pk: int, path: str, sent: bytes):
    """A stored file: a random path inside its storage, a clean name, and every download answers
    only whom the rule lets read it, as an attachment (or a re-encoded picture), never sniffed."""
    app_model, field_name = label.rsplit(".", 1)
    row = apps.get_model(app_model).objects.get(pk=pk)
    stored = getattr(row, field_name)
    # A random name (an avatar is named after its user, the storage adding a suffix if taken).
    assert re.fullmatch(
        r"[a-z]+/[0-9a-f]{32}\.[a-z0-9]{1,10}|avatars/\d+(_[A-Za-z0-9]{7})?\.(png|jpg)", path
    ), path
    location = Path(stored.storage.path(path)).resolve()
    assert location.is_file() and Path(stored.storage.location).resolve() in location.parents, location
    served = SERVED[label]
    if door.kind.decoded_picture:
        # Decoded and encoded afresh: a picture of an allowed format, whatever was sent.
        head = location.read_bytes()[:8]
        assert head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")), head
    if served.may_read is None:
        return
    name = served.name(row)
    assert_safe_name(name)
    for url in served.urls(row):
        for role in (door.role, "outsider", ANONYMOUS):
            response = client_for(world, role).get(url)
            allowed = served.may_read(user_for(world, role), row)
            assert (response.status_code == 200) == allowed, (url, role, response.status_code)
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert "sandbox" in response["Content-Security-Policy"], url
            disposition = response.get("Content-Disposition", "")
            if disposition.startswith("inline"):
                assert door.kind.decoded_picture, (url, disposition)
                assert response["Content-Type"] in {"image/png", "image/jpeg"}, response["Content-Type"]
                assert body.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"))
            else:
                assert disposition.startswith("attachment"), (url, disposition)
                if not door.kind.decoded_picture:
                    assert body == sent
            assert disposition_name(disposition) == name, (disposition, name)


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_each_upload_door_refuses_or_serves_safely(sweep, attack):
    world, _root = sweep
    wrong: list[str] = []
    for door in all_doors(world):
        made = attack.file(door.kind, sample_for(door))
        if made is None:
            continue
        file_name, content = made
        cache.clear()
        throttle_store.local.clear()
        client = client_for(world, door.role)
        with transaction.atomic():
            rows, files, counts = stored_rows(), stored_files(), snapshot()
            body, content_type = multipart(door.data, door.field, file_name, content)
            response = client.post(door.url, body, content_type=content_type)
            new_rows = stored_rows() - rows
            changed = snapshot() != counts
            new_files = stored_files() - files
            status = response.status_code
            if status >= 500:
                wrong.append(f"{door}: {status}")
            elif new_rows:
                if attack.refused:
                    wrong.append(f"{door}: stored {sorted(new_rows)} ({status})")
                for label, pk, path in new_rows:
                    try:
                        check_served(world, door, label, pk, path, content)
                    except AssertionError as error:
                        wrong.append(f"{door}: served unsafely: {error}")
            elif changed and status < 400:
                # Read and dropped (an import): rows changed, no file kept.
                if attack.refused:
                    wrong.append(f"{door}: accepted ({status})")
                if new_files:
                    wrong.append(f"{door}: files kept without a row {new_files}")
            else:
                said = error_texts(door, response, client)
                expected = refusal_messages(door.kind, attack)
                if attack.name == "valid":
                    wrong.append(f"{door}: a valid file was refused ({status}): {said[:300]}")
                elif status not in (302, 400) or not any(
                    (message if door.api else escape(message)) in said for message in expected
                ):
                    wrong.append(f"{door}: refused ({status}) without the page's own message {expected}")
                if changed or new_files:
                    wrong.append(f"{door}: refused, yet left rows or files behind {new_files}")
            transaction.set_rollback(True)
    assert not wrong, f"{attack.name}:\n" + "\n".join(wrong)


# --- the admin's avatar field: the same policy ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_the_admins_avatar_field_follows_the_policy(sweep, attack):
    world, _root = sweep
    file_name, content = attack.file(AVATAR, Sample(".png", picture())) or ("", b"")
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    form = UserChangeForm(instance=world.matrix.cast.member)
    upload = SimpleUploadedFile(name or "x.png", content, content_type="image/png")
    try:
        cleaned = form.fields["avatar"].clean(upload, None)
        form.cleaned_data = {"avatar": cleaned}
        stored = form.clean_avatar()
    except ValidationError:
        assert attack.refused, attack.name
        return
    assert not attack.refused, attack.name
    assert stored.read(8).startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"))
