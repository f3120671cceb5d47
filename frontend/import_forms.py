"""The forms of the spreadsheet import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_core.uploads import IMPORT, PolicyFileField


class ImportUploadForm(forms.Form):
    file = PolicyFileField(kind=IMPORT, label=_("Spreadsheet file"))


class ImportConfirmForm(forms.Form):
    """What the preview showed: the file's hash, which the stored file must still have."""

    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
