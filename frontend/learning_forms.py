"""Forms of the learning pages. They only parse; the services validate and decide."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.learning.models import Course, Lesson
from platform_core.media.forms import MediaFileField
from platform_core.media.models import MediaFile

from .widgets import IsoDateTimeInput


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Course.Level.choices)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=1000)
    work_fields = forms.CharField(label=_("Fields of work (comma-separated)"), required=False, max_length=300)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["fields"] = data.pop("work_fields", "")
        data.pop("publisher", None)
        return data

    service_fields_shown_as = {"fields": "work_fields"}


class CourseCreateForm(CourseForm):
    publisher = forms.ChoiceField(label=_("Published by"))

    field_order = ["publisher"]

    def __init__(self, *args, publishers: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = publishers  # type: ignore[attr-defined]
        self.order_fields(["publisher", "title", "summary", "description", "level", "hours", "work_fields"])


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Lesson.Kind.choices)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        help_text=_(
            "Markdown: **bold**, *italic*, lists, links. Pictures are added below once the lesson is saved."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    # Sent in chunks by the media upload widget (platform_core/media/forms.py); the form carries
    # the finished file's id. A video lesson plays `video`, an audio lesson `audio`.
    video = MediaFileField(kind=MediaFile.Kind.VIDEO, required=False, label=_("Video"))
    audio = MediaFileField(kind=MediaFile.Kind.AUDIO, required=False, label=_("Audio"))
    captions = MediaFileField(kind=MediaFile.Kind.CAPTIONS, required=False, label=_("Captions (WebVTT)"))
    pass_mark = forms.IntegerField(
        label=_("Quiz pass mark (%)"),
        min_value=1,
        max_value=100,
        initial=60,
        help_text=_("Used where the lesson has quiz questions."),
    )

    def __init__(self, *args, user, lesson: Lesson | None = None, **kwargs) -> None:
        media = lesson.media if lesson is not None else None
        if lesson is not None and "data" not in kwargs and not args:
            kwargs.setdefault(
                "initial",
                {
                    "title": lesson.title,
                    "kind": lesson.kind,
                    "body": lesson.body,
                    "pass_mark": lesson.pass_mark,
                    lesson.kind: media,
                    "captions": lesson.captions,
                },
            )
        super().__init__(*args, **kwargs)
        # What the lesson holds now stays acceptable whoever uploaded it.
        for name in ("video", "audio"):
            held = media if media is not None and media.kind == name else None
            cast(MediaFileField, self.fields[name]).for_user(user, attached=held)
        captions = lesson.captions if lesson is not None else None
        cast(MediaFileField, self.fields["captions"]).for_user(user, attached=captions)

    def clean(self):
        data = super().clean()
        playing = data.pop("video", None), data.pop("audio", None)
        # The service takes the file of the lesson's kind, and the captions.
        by_kind = {Lesson.Kind.VIDEO: playing[0], Lesson.Kind.AUDIO: playing[1]}
        data["media_id"] = by_kind.get(data.get("kind"))
        data["captions_id"] = data.pop("captions", None)
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    multiple = forms.BooleanField(label=_("Several answers may be right"), required=False)
    choices = forms.CharField(
        label=_("Answers"),
        help_text=_("One per line, 2 to 8; start the right ones with *, e.g. *绝缘手套"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def service_data(self) -> dict:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        return {
            "text": self.cleaned_data["text"],
            "multiple": self.cleaned_data["multiple"],
            "choices": [(line.lstrip("*").strip(), line.startswith("*")) for line in lines],
        }


class QuizForm(forms.Form):
    """One field per question, named q<id>: radio buttons or check boxes of the answers' texts."""

    def __init__(self, *args, questions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(choice.pk, choice.text) for choice in question.choices.all()]
            if question.multiple:
                self.fields[f"q{question.pk}"] = forms.MultipleChoiceField(
                    label=question.text, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                self.fields[f"q{question.pk}"] = forms.ChoiceField(
                    label=question.text, choices=choices, widget=forms.RadioSelect, required=False
                )

    def answers(self) -> dict[int, list[int]]:
        answers: dict[int, list[int]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}") or []
            answers[question.pk] = [int(v) for v in ([value] if isinstance(value, str) else value)]
        return answers


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=IsoDateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=60
    )
    stream_url = forms.CharField(
        label=_("Link to the enterprise's video stream"),
        required=False,
        max_length=500,
        help_text=_("Optional; an http or https address."),
    )


class RecordingForm(forms.Form):
    recording = MediaFileField(kind=MediaFile.Kind.VIDEO, label=_("Recording"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(MediaFileField, self.fields["recording"]).for_user(user)
