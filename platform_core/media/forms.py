"""The media field of an owner app's form: a file input the upload widget sends in chunks, and a
hidden input that carries the finished MediaFile's id with the form.

How an owner app (a lesson, a live session's recording) uses it:

    # frontend/<area>_forms.py
    from platform_core.media.forms import MediaFileField
    from platform_core.media.models import MediaFile

    class LessonForm(forms.ModelForm):
        media = MediaFileField(kind=MediaFile.Kind.VIDEO, required=False, label=_("Video"))
        captions = MediaFileField(kind=MediaFile.Kind.CAPTIONS, required=False, label=_("Captions"))

        class Meta:
            model = Lesson
            fields = ["title", "body", "media", "captions"]

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            # Who is editing, and what the object holds now (kept even if someone else uploaded it).
            self.fields["media"].for_user(user, attached=self.instance.media)
            self.fields["captions"].for_user(user, attached=self.instance.captions)

The page renders the field like any other (`frontend/_field.html`: the label names the file
input); `frontend/static/frontend/media-upload.js`, loaded on every page, finds it by
`data-media-upload`, uploads the chosen file to /api/v1/media/uploads/ in chunks with a progress
bar, resumes after a dropped connection, and puts the finished file's id into the hidden input.
The form's submit waits for it (the file input says so until the upload is done). On a form
error the hidden id is kept and the page shows the file's name. `cleaned_data["media"]` is the
MediaFile (or None): a READY file of the field's kind that this user uploaded, or the one already
attached; any other id is the field's error. The service that saves the owner then sets its
foreign key (on_delete=PROTECT or SET_NULL as the owner prefers); a file no relation uses is
removed after MEDIA_UNATTACHED_DAYS, and one whose row is deleted loses its bytes (signals.py).
The owner's view serves it with `serving.media_response(request, media_file)` after its own
access check.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import policy, selectors
from .models import MediaFile

_help_text_lazy = lazy(policy.help_text, str)
_too_large_lazy = lazy(policy.too_large_message, str)


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, MediaFile):
        return value.pk
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


class MediaUploadWidget(forms.Widget):
    template_name = "media/upload_widget.html"

    def __init__(self, *, kind: str, attrs=None) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.user = None
        self.attached: MediaFile | None = None

    def format_value(self, value):
        pk = _as_uuid(value)
        return str(pk) if pk else None

    def current_file(self, value) -> MediaFile | None:
        """The file the hidden id names, if the viewer may see its name here."""
        if isinstance(value, MediaFile):
            return value
        pk = _as_uuid(value)
        if pk is None:
            return None
        if self.attached is not None and self.attached.pk == pk:
            return self.attached
        if self.user is None:
            return None
        return selectors.ready_for_field(self.user, pk, kind=self.kind)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "kind": self.kind,
                "endpoint": reverse("api-media-uploads"),
                "accept": ",".join(policy.extensions(self.kind)),
                "max_bytes": policy.max_bytes(self.kind),
                "too_large": _too_large_lazy(self.kind),
                "current": self.current_file(value),
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class MediaFileField(forms.Field):
    default_error_messages = {
        "invalid": _("Upload the file again: that upload was not found, is not yours or is not finished."),
    }

    def __init__(self, *, kind: str, **kwargs) -> None:
        self.kind = kind
        kwargs.setdefault("help_text", _help_text_lazy(kind))
        kwargs.setdefault("widget", MediaUploadWidget(kind=kind))
        super().__init__(**kwargs)
        self.user = None
        self.attached: MediaFile | None = None

    def for_user(self, user, *, attached: MediaFile | None = None) -> MediaFileField:
        """Who fills the form in, and the file the object holds now: call it in the form's __init__."""
        self.user = user
        self.attached = attached
        if isinstance(self.widget, MediaUploadWidget):
            self.widget.user = user
            self.widget.attached = attached
        return self

    def prepare_value(self, value):
        pk = _as_uuid(value)
        return str(pk) if pk else value

    def to_python(self, value) -> MediaFile | None:
        if value in self.empty_values:
            return None
        if isinstance(value, MediaFile):
            return value
        pk = _as_uuid(value)
        if pk is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.attached is not None and self.attached.pk == pk:
            return self.attached
        if self.user is None:
            raise ImproperlyConfigured("Call for_user(request.user) on the form's MediaFileField.")
        media = selectors.ready_for_field(self.user, pk, kind=self.kind)
        if media is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return media

    def has_changed(self, initial, data) -> bool:
        return _as_uuid(initial) != _as_uuid(data)
