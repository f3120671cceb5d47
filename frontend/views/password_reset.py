"""A forgotten password: Django's reset flow for local accounts, mailed through the outbox.

The rules (rate limits, who gets a mail, what the answer tells) are in
platform_core/accounts/password_reset.py; this module is the pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import render_to_string
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from platform_core.accounts.password_reset import password_reset_throttled
from platform_core.http import client_ip
from platform_core.notifications.outbox import mail_enqueue

app_name = "password_reset"

THROTTLED = _("Too many password reset requests. Try again in an hour.")


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and password_reset_throttled(email=email, ip=client_ip(self.request)):
            raise forms.ValidationError(THROTTLED, code="throttled")
        return cleaned

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # Into the outbox, not to the mail server: the periodic job sends it (and retries it).
        user = context["user"]
        mail_enqueue(
            recipient=user,
            to_address=to_email,
            subject=render_to_string(subject_template_name, context),
            text=render_to_string(email_template_name, context),
            html=render_to_string(html_email_template_name, context) if html_email_template_name else "",
            dedup_key=f"password-reset:{user.pk}:{context['token']}",
        )


class RequestView(auth_views.PasswordResetView):
    template_name = "frontend/accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    subject_template_name = "email/password_reset_subject.txt"
    email_template_name = "email/password_reset_email.txt"
    html_email_template_name = "email/password_reset_email.html"
    success_url = reverse_lazy("password_reset:sent")

    def form_valid(self, form):
        # The link is built on SITE_URL, never on the Host header the request came with.
        self.extra_email_context = {"site_url": settings.SITE_URL, "site_name": str(settings.SITE_NAME)}
        return super().form_valid(form)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.has_error(NON_FIELD_ERRORS, "throttled") else 400
        return response


urlpatterns = [
    path("", RequestView.as_view(), name="request"),
    path(
        "sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="frontend/accounts/password_reset_sent.html"),
        name="sent",
    ),
    path(
        "<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="frontend/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset:complete"),
        ),
        name="confirm",
    ),
    path(
        "complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="frontend/accounts/password_reset_complete.html"
        ),
        name="complete",
    ),
]
