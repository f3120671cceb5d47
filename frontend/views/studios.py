"""The studio directory, a studio's page and its write forms, and the unit pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.context_processors import page_topic_head
from platform_core.audit.selectors import audit_trail_of
from platform_core.http import client_ip
from platform_core.orgs import permissions, selectors, services, union
from platform_core.orgs.figures import registered_studio_figures, studio_domain_figures
from platform_core.orgs.models import Studio
from platform_core.orgs.sections import studio_sections

from ..charts import bar_chart
from ..forms import MemberAddForm, StudioDelistForm, StudioEditForm, StudioFilterForm
from ..union_forms import StudioAdministerForm, StudioCreateForm
from .forms_flow import Done, form_for, object_form, perform, submit

app_name = "studios"


@login_required
def unit_detail(request, pk: int):
    page = selectors.unit_page(request.user, pk)
    return render(
        request,
        "frontend/studios/unit.html",
        {"unit": page.unit, "studios": page.studios, "children": page.children, "coverage": page.coverage},
    )


@login_required
def studio_list(request):
    form = StudioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    studios = selectors.studio_directory(
        request.user,
        query=filters.get("q", ""),
        type=filters.get("type", ""),
        level=filters.get("level", ""),
    )
    page = Paginator(studios, 24).get_page(request.GET.get("page"))
    template = "frontend/studios/_results.html" if request.htmx else "frontend/studios/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "can_name_studios": permissions.is_union_admin(request.user)},
    )


def _studio_context(request, studio: Studio) -> dict:
    structure = selectors.studio_team_structure(studio, today_year=timezone.localdate().year)
    follows_live = permissions.can_follow_studio_live(request.user, studio)
    # The studio's own history: for its leader and the union admins over it.
    can_edit = permissions.can_edit_studio(request.user, studio)
    can_administer = permissions.can_administer_studio(request.user, studio)
    values = studio_domain_figures([studio.pk])[studio.pk]
    return {
        "studio": studio,
        # What the domains know of it, through the core's registries (figures.py, sections.py).
        "domain_figures": [(figure, values[figure.key]) for figure in registered_studio_figures()],
        # Each rendered from its app's template (render_to_string escapes as any template does).
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "html": render_to_string(section.template, {**section.context, "studio": studio}, request),
            }
            for section in studio_sections(request.user, studio)
        ],
        "can_administer": can_administer,
        "administer_form": form_for(
            request,
            StudioAdministerForm,
            initial={
                "name": studio.name,
                "leader": studio.leader.username,
                "unit": studio.unit_id,
                "type": studio.type,
                "level": studio.level,
            },
            units=union.units_in_scope(request.user) if can_administer else None,
        )
        if can_administer
        else None,
        "members": selectors.studio_members(studio),
        "structure": structure,
        "age_chart": bar_chart(structure.age_tiers),
        "role_chart": bar_chart(structure.roles),
        "can_manage": permissions.can_manage_members(request.user, studio),
        "can_edit": can_edit,
        "can_delist": permissions.can_delist_studio(request.user, studio) and studio.is_active,
        "follows_live": follows_live,
        "studio_topic_head": page_topic_head(request, studio.topic) if follows_live else None,
        "audit_trail": audit_trail_of(studio, viewer=request.user) if can_edit else [],
        # A refused form comes back bound, as typed (forms_flow.form_for).
        "member_form": form_for(request, MemberAddForm),
        "edit_form": form_for(
            request,
            StudioEditForm,
            initial={"description": studio.description, "work_fields": "，".join(studio.fields)},
        ),
        "delist_form": form_for(request, StudioDelistForm),
    }


@login_required
def studio_detail(request, pk: int):
    studio = selectors.studio_for_viewer(request.user, pk)
    return render(request, "frontend/studios/detail.html", _studio_context(request, studio))


@login_required
def members_fragment(request, pk: int):
    studio = selectors.studio_for_viewer(request.user, pk)
    # The member list is swapped into the studio page by htmx; opened on its own (a link followed
    # without JavaScript, a bookmark) it gets the whole page, not a fragment without title or lang.
    template = "frontend/studios/_members.html" if request.htmx else "frontend/studios/detail.html"
    response = render(request, template, _studio_context(request, studio))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _studio_url(studio: Studio) -> str:
    return reverse("studios:detail", args=[studio.pk])


def studio_form(form_class: type[forms.Form]):
    return object_form(form_class, fetch=selectors.studio_for_viewer, then=_studio_url)


@studio_form(MemberAddForm)
def member_add(request, studio: Studio, data: dict) -> str:
    services.studio_member_add(
        actor=request.user, studio=studio, user=data["user"], role=data["role"], ip_address=client_ip(request)
    )
    return _("%(name)s has joined the studio.") % {"name": data["user"]}


@login_required
@require_POST
def member_remove(request, pk: int, user_id: int):
    studio = selectors.studio_for_viewer(request.user, pk)
    user = get_object_or_404(get_user_model(), pk=user_id)

    def remove() -> str:
        services.studio_member_remove(
            actor=request.user, studio=studio, user=user, ip_address=client_ip(request)
        )
        return _("%(name)s is no longer a member.") % {"name": user}

    # Someone who left may no longer see the studio's page: back to the directory.
    then = reverse("studios:list") if user == request.user else _studio_url(studio)
    return perform(request, remove, then=then)


@studio_form(StudioEditForm)
def edit(request, studio: Studio, data: dict) -> str:
    services.studio_update(
        actor=request.user,
        studio=studio,
        description=data["description"],
        fields=data["work_fields"],
        ip_address=client_ip(request),
    )
    return _("The studio has been updated.")


@studio_form(StudioDelistForm)
def delist(request, studio: Studio, data: dict) -> str:
    services.studio_delist(
        actor=request.user, studio=studio, reason=data["reason"], ip_address=client_ip(request)
    )
    return _("The studio has been delisted.")


@studio_form(StudioAdministerForm)
def administer(request, studio: Studio, data: dict) -> str:
    services.studio_administer(
        actor=request.user,
        studio=studio,
        name=data["name"],
        leader=data["leader"],
        unit=data["unit"],
        type=data["type"],
        level=data["level"],
        ip_address=client_ip(request),
    )
    return _("The studio's record has been changed.")


@login_required
def create(request):
    """Naming a studio (授牌): the union admins, in the units of their scope."""
    units = union.units_in_scope(request.user)
    if request.method == "POST":
        form = StudioCreateForm(request.POST, units=units)

        def name_it(data: dict) -> Done:
            studio = services.studio_create(
                actor=request.user,
                studio=Studio(
                    name=data["name"],
                    unit=data["unit"],
                    type=data["type"],
                    level=data["level"],
                    leader=data["leader"],
                    founded_on=data["founded_on"],
                    description=data["description"],
                    fields=data["work_fields"],
                ),
                ip_address=client_ip(request),
            )
            return Done(_("The studio %(name)s has been named.") % {"name": studio.name}, _studio_url(studio))

        return submit(request, form, name_it, then=reverse("studios:create"))
    form = form_for(request, StudioCreateForm, units=units)
    return render(request, "frontend/studios/create.html", {"form": form})


urlpatterns = [
    path("studios/new/", create, name="create"),
    path("studios/<int:pk>/administer/", administer, name="administer"),
    path("units/<int:pk>/", unit_detail, name="unit"),
    path("studios/", studio_list, name="list"),
    path("studios/<int:pk>/", studio_detail, name="detail"),
    path("studios/<int:pk>/members/", members_fragment, name="members"),
    path("studios/<int:pk>/members/add/", member_add, name="member_add"),
    path("studios/<int:pk>/members/<int:user_id>/remove/", member_remove, name="member_remove"),
    path("studios/<int:pk>/edit/", edit, name="edit"),
    path("studios/<int:pk>/delist/", delist, name="delist"),
]
