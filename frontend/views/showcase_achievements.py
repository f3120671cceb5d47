"""An achievement's life from its owner's side: create (from scratch or from an accepted
challenge), edit, submit, publish, send back, withdraw, its files, and "my achievements"."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.owners import owner_choices, owner_from_key
from platform_core.http import client_ip
from showcase import selectors
from showcase.services import achievements as achievement_services

from ..showcase_forms import AchievementCreateForm, AchievementForm
from .forms_flow import Done, form_for, perform, submit


def _outcome(request):
    raw = request.GET.get("outcome") or request.POST.get("outcome", "")
    return selectors.outcome_for(request.user, int(raw)) if raw.isdigit() else None


@login_required
def create(request):
    outcome = _outcome(request)
    owners = owner_choices(request.user)
    if request.method == "POST":
        form = AchievementCreateForm(request.POST, owners=owners)

        def act(data) -> Done:
            studio, team = owner_from_key(data["owner"])
            achievement = achievement_services.achievement_create(
                actor=request.user,
                studio=studio,
                team=team,
                outcome=outcome,
                ip_address=client_ip(request),
                **form.service_data(),
            )
            return Done(
                _("The draft is saved. Submit it for publication when it is ready."),
                reverse("showcase:detail", args=[achievement.pk]),
            )

        return submit(request, form, act, then=request.get_full_path())
    initial: dict = {}
    if outcome is not None:
        prefill = selectors.outcome_prefill(outcome)
        initial = {key: prefill[key] for key in ("title", "summary", "description", "type")}
        initial["work_fields"] = "，".join(prefill["fields"])
        initial["owner"] = (
            f"studio:{prefill['studio'].pk}" if prefill["studio"] else f"team:{prefill['team'].pk}"
        )
    return render(
        request,
        "frontend/showcase/form.html",
        {
            # A refused form comes back as typed: the prefill is only the start of a new one.
            "form": form_for(request, AchievementCreateForm, initial=initial, owners=owners),
            "outcome": outcome,
            "outcomes": selectors.outcomes_for(request.user),
        },
    )


@login_required
def edit(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    if request.method == "POST":
        form = AchievementForm(request.POST)

        def act(data) -> Done:
            achievement_services.achievement_update(
                actor=request.user,
                achievement=achievement,
                ip_address=client_ip(request),
                **form.service_data(),
            )
            return Done(_("The draft is saved."), reverse("showcase:detail", args=[pk]))

        # A refused edit comes back to this form, as typed, not to the achievement's page.
        return submit(request, form, act, then=reverse("showcase:edit", args=[pk]))
    initial = {
        "title": achievement.title,
        "summary": achievement.summary,
        "description": achievement.description,
        "type": achievement.type,
        "work_fields": "，".join(tag.name for tag in achievement.fields.all()),
        "contributors": "\n".join(f"{c.name} {c.share.normalize()}" for c in achievement.contributors.all()),
        "patents": "\n".join(f"{p.number}, {p.kind}, {p.status}" for p in achievement.patents.all()),
        "economic_benefit": achievement.economic_benefit,
        "benefit_method": achievement.benefit_method,
        "other_benefits": achievement.other_benefits,
    }
    return render(
        request,
        "frontend/showcase/form.html",
        {"form": form_for(request, AchievementForm, initial=initial), "achievement": achievement},
    )


@login_required
@require_POST
def state_action(request, pk: int, action: str):
    achievement = selectors.achievement_for(request.user, pk)
    reason = request.POST.get("reason", "")
    ip = client_ip(request)
    actions: dict[str, tuple[Callable[..., object], dict, str]] = {
        "submit": (achievement_services.achievement_submit, {}, _("Submitted for publication.")),
        "publish": (achievement_services.achievement_publish, {}, _("Published in the showcase.")),
        "return": (achievement_services.achievement_return, {"reason": reason}, _("Sent back to its owner.")),
        "withdraw": (achievement_services.achievement_withdraw, {"reason": reason}, _("Withdrawn.")),
    }
    if action not in actions:
        raise Http404
    service, extra, message = actions[action]

    def act() -> str:
        service(actor=request.user, achievement=achievement, ip_address=ip, **extra)
        return message

    return perform(request, act, then=reverse("showcase:detail", args=[pk]))


@login_required
@require_POST
def file_add(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    upload = request.FILES.get("file")

    def act() -> str:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        achievement_services.achievement_file_add(
            actor=request.user,
            achievement=achievement,
            upload=upload,
            kind=request.POST.get("kind", ""),
            ip_address=client_ip(request),
        )
        return _("The file is added.")

    return perform(request, act, then=reverse("showcase:detail", args=[pk]))


@login_required
@require_POST
def file_remove(request, pk: int, file_id: int):
    stored = selectors.achievement_file_for(request.user, pk, file_id)

    def act() -> str:
        achievement_services.achievement_file_remove(
            actor=request.user, stored=stored, ip_address=client_ip(request)
        )
        return _("The file is removed.")

    return perform(request, act, then=reverse("showcase:detail", args=[pk]))


@login_required
def mine(request):
    return render(
        request,
        "frontend/showcase/mine.html",
        {
            "achievements": selectors.my_achievements(request.user),
            "awaiting": selectors.awaiting_publication(request.user),
            "outcomes": selectors.outcomes_for(request.user),
        },
    )
