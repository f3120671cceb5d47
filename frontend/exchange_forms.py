"""Forms of the 经验交流 pages. They only parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import FieldOfWork
from platform_core.uploads import POST_IMAGE, PolicyFileField


class PostForm(forms.Form):
    # The service's `fields` error goes beside the checkboxes.
    service_fields_shown_as = {"fields": "work_fields"}

    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        help_text=_(
            "Markdown: **bold**, *italic*, - lists, > quotes, links. A picture added below is placed "
            "with ![caption](image:number)."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    work_fields = forms.ModelMultipleChoiceField(
        label=_("Fields of work"),
        queryset=FieldOfWork.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    studio = forms.ChoiceField(label=_("Written for"), required=False)

    def __init__(self, *args, studios=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        studios = list(studios)
        if studios:
            studio_field = self.fields["studio"]
            assert isinstance(studio_field, forms.ChoiceField)
            studio_field.choices = [("", _("Myself")), *((str(s.pk), s.name) for s in studios)]
            self._studios = {str(s.pk): s for s in studios}
        else:
            del self.fields["studio"]
            self._studios = {}

    def chosen_studio(self):
        return self._studios.get(self.cleaned_data.get("studio") or "")


class PostEditForm(PostForm):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.pop("studios", None)
        super().__init__(*args, **kwargs)


class ImageForm(forms.Form):
    file = PolicyFileField(label=_("Picture"), kind=POST_IMAGE)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        help_text=_("Mention someone with @username: they are told."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why do you report it?"), max_length=300)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("Publish")), ("hide", _("Hide"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason (the author is told)"), max_length=300, required=False)


class SensitiveWordForm(forms.Form):
    word = forms.CharField(label=_("Word"), max_length=30)


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search courses, posts and Q&A"), max_length=200, required=False)
