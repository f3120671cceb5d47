from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from platform_core.accounts.directory import directory_problem, directory_problem_message
from platform_core.accounts.throttle import ThrottledLoginMixin
from platform_core.images import reencode_avatar
from platform_core.orgs.models import Studio, StudioMembership
from platform_core.uploads import AVATAR, PolicyFileField

THROTTLED = _("Too many failed attempts. Try again in a few minutes.")


class DirectoryLoginMixin:
    """For Django authentication forms: when a directory could not be asked, or refused the person
    it vouched for (accounts/directory.py), say so instead of "wrong username or password"."""

    def get_invalid_login_error(self):
        message = directory_problem_message(self.request)
        if message:
            return forms.ValidationError(message, code=f"directory_{directory_problem(self.request)}")
        return super().get_invalid_login_error()


class LoginForm(DirectoryLoginMixin, ThrottledLoginMixin, AuthenticationForm):
    throttled_message = THROTTLED

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class AdminLoginForm(DirectoryLoginMixin, ThrottledLoginMixin, AdminAuthenticationForm):
    throttled_message = THROTTLED


class ProfileForm(forms.ModelForm):
    # The policy's field (its limit, its types, its checks), with the model form's "clear" box.
    avatar = PolicyFileField(
        kind=AVATAR,
        label=get_user_model()._meta.get_field("avatar").verbose_name,
        required=False,
        widget=forms.ClearableFileInput,
    )

    class Meta:
        model = get_user_model()
        fields = ["display_name", "job_title", "phone", "email", "birth_year", "avatar"]

    # Refreshed from the directory at each sign-in for a directory account: shown, not edited.
    DIRECTORY_FIELDS = ("display_name", "job_title", "phone", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.directory_source:
            for name in self.DIRECTORY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the enterprise directory.")

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):  # a new upload, not the stored picture
            reencode_avatar(avatar)  # to report a file that is no picture here; the service stores it
        return avatar

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1930 <= year <= 2015:
            raise forms.ValidationError(_("Enter a year between 1930 and 2015."))
        return year


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[c for c in StudioMembership.Role.choices if c[0] != StudioMembership.Role.LEADER],
        initial=StudioMembership.Role.MEMBER,
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No user with this username."))
        self.cleaned_data["user"] = user
        return username


class StudioEditForm(forms.Form):
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=4000
    )
    work_fields = forms.CharField(
        label=_("Fields of work"),
        required=False,
        max_length=400,
        help_text=_("Separate with commas."),
    )


class StudioDelistForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for delisting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Give the reason for delisting.")},
    )


class StudioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Studio.Type.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Studio.Level.choices]
    )
