"""Signing in and out, the password, and the user's own profile."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from platform_core.accounts.ldap_config import directory_configured
from platform_core.accounts.oidc_config import oidc_configured
from platform_core.accounts.services import user_profile_update
from platform_core.http import client_ip
from platform_core.orgs import permissions as orgs_permissions
from platform_core.orgs.models import StudioMembership

from ..forms import LoginForm, ProfileForm
from .forms_flow import form_saved, page_status
from .oidc import LogoutView

app_name = "accounts"


class LoginView(auth_views.LoginView):
    template_name = "frontend/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # With a directory configured, people are told they may use their enterprise account; with
        # a portal configured, its button stands beside the password form.
        return {
            **super().get_context_data(**kwargs),
            "directory_sign_in": directory_configured(),
            "portal_sign_in": oidc_configured(),
        }


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "frontend/accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request, *args, **kwargs):
        # A directory account has no password here: the page says where to change it, and takes no form.
        if getattr(request.user, "directory_source", ""):
            return render(
                request,
                "frontend/accounts/password_directory.html",
                {"source": request.user.get_directory_source_display()},
                status=200 if request.method == "GET" else 400,
            )
        return super().dispatch(request, *args, **kwargs)


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "frontend/accounts/profile.html",
        {
            "profile_user": user,
            "memberships": StudioMembership.objects.filter(user=user).select_related("studio__unit"),
            "expert_profile": getattr(user, "expert_profile", None),
            "admin_grants": user.admin_grants.select_related("group"),
            "poster_grants": user.poster_grants.select_related("unit"),
            "may_import": orgs_permissions.can_import(user),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            user_profile_update(
                user=form.save(commit=False), changed_fields=form.changed_data, ip_address=client_ip(request)
            )
            return _("Your profile has been saved.")

        if form_saved(request, form, save):
            return redirect("accounts:profile")
    # A refused form is shown again (status 400) with its errors beside the fields, not as messages.
    return render(request, "frontend/accounts/profile_edit.html", {"form": form}, status=page_status(form))


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="frontend/accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # Imported people set their first password from the link their union admin hands them
    # (platform_core/orgs/import_jobs.import_job_password_links): Django's password-reset token.
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="frontend/accounts/password_set.html",
            success_url=reverse_lazy("accounts:password_set_done"),
        ),
        name="password_set",
    ),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="frontend/accounts/password_set_done.html"
        ),
        name="password_set_done",
    ),
    path("profile/", profile, name="profile"),
    path("profile/edit/", profile_edit, name="profile_edit"),
]
