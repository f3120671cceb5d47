"""The showcase pages: the public list with search and facets, an achievement's page, its
create/edit and publication, transfer listings and inquiries, rounds, and the figures."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.models import Team
from platform_core.http import anonymous_to_login, client_ip
from platform_core.orgs.models import Studio
from platform_core.realtime.selectors import topic_head
from showcase import permissions, search, selectors
from showcase.models import AchievementFile, Award, Round, RoundEntry
from showcase.selectors import ShowcaseFilters
from showcase.services import achievements as achievement_services
from showcase.services import rounds as round_services
from showcase.services import transfer

from ..charts import bar_chart
from ..chat import room_context
from ..showcase_forms import (
    AchievementForm,
    CaseForm,
    InquiryForm,
    InquiryStatusForm,
    ListingForm,
    ReasonForm,
)
from .forms_flow import Done, perform, submit

app_name = "showcase"
PAGE_SIZE = 20


def showcase_list(request):
    filters = ShowcaseFilters.from_params(request.GET)
    page = Paginator(selectors.showcase_results(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for achievement in page:
        achievement.title_html = search.highlight(achievement.title, filters.query)  # type: ignore[attr-defined]
        achievement.snippet_html = search.highlight(  # type: ignore[attr-defined]
            achievement.summary
            if not filters.query or not achievement.description
            else achievement.description,
            filters.query,
            around=60 if filters.query else None,
        )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "facets": selectors.showcase_facets(filters),
        "facet_titles": FACET_TITLES,
        "sorts": [("relevance", _("Relevance")), ("newest", _("Newest")), ("benefit", _("Benefit"))],
        "query_string": params.urlencode(),
    }
    template = "frontend/showcase/_results.html" if request.htmx else "frontend/showcase/list.html"
    return render(request, template, context)


FACET_TITLES = {
    "type": _("Type"),
    "field": _("Field"),
    "level": _("Studio level"),
    "unit": _("Unit"),
    "maturity": _("Maturity"),
    "mode": _("Transfer mode"),
    "has_patent": _("Patent"),
    "award": _("Award"),
}


def detail(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    listing = getattr(achievement, "listing", None)
    files = list(achievement.files.all())
    user = request.user
    return render(
        request,
        "frontend/showcase/detail.html",
        {
            "achievement": achievement,
            "images": [f for f in files if f.kind == AchievementFile.Kind.IMAGE],
            "attachments": [f for f in files if f.kind == AchievementFile.Kind.ATTACHMENT],
            "badges": selectors.badges_of(achievement),
            "related": selectors.related_achievements(achievement),
            "listing": listing,
            "inquiry_refusal": permissions.inquiry_refusal(user, listing) if listing else "",
            "inquiry_form": InquiryForm(initial={"mode": listing.modes[0]} if listing else None),
            "can_edit": permissions.can_edit_achievement(user, achievement),
            "can_moderate": permissions.can_moderate(user, achievement),
            "can_withdraw": permissions.can_withdraw_achievement(user, achievement),
            "can_list": permissions.can_list_for_transfer(user, achievement),
            "can_remove_files": permissions.can_remove_file(user, achievement),
            "reason_form": ReasonForm(),
        },
    )


@anonymous_to_login
def file_download(request, pk: int, file_id: int):
    """The only way to read an achievement's file: access checked each time."""
    achievement = selectors.achievement_for(request.user, pk)
    stored = get_object_or_404(AchievementFile, pk=file_id, achievement=achievement)
    as_attachment = stored.kind != AchievementFile.Kind.IMAGE
    return FileResponse(stored.file.open("rb"), as_attachment=as_attachment, filename=stored.name)


def _owner_from(request) -> tuple[Studio | None, Team | None]:
    owner = request.POST.get("owner") or request.GET.get("owner", "")
    kind, _sep, raw = owner.partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "studio":
        return Studio.objects.filter(pk=int(raw)).first(), None
    if kind == "team":
        return None, Team.objects.filter(pk=int(raw)).first()
    return None, None


def _owner_choices(user) -> list[tuple[str, str]]:
    studios = [
        (f"studio:{s.pk}", str(s)) for s in Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE)
    ]
    teams = [
        (f"team:{t.pk}", str(t)) for t in Team.objects.filter(lead=user).exclude(status=Team.Status.ARCHIVED)
    ]
    return studios + teams


@login_required
def create(request):
    outcome = None
    outcome_id = request.GET.get("outcome") or request.POST.get("outcome", "")
    if outcome_id.isdigit():
        outcome = get_object_or_404(selectors.outcomes_for(request.user), pk=int(outcome_id))
    if request.method == "POST":
        form = AchievementForm(request.POST)
        studio, team = _owner_from(request)

        def act(data) -> Done:
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
    owner = ""
    if outcome is not None:
        prefill = selectors.outcome_prefill(outcome)
        initial = {key: prefill[key] for key in ("title", "summary", "description", "type")}
        initial["work_fields"] = "，".join(prefill["fields"])
        owner = f"studio:{prefill['studio'].pk}" if prefill["studio"] else f"team:{prefill['team'].pk}"
    return render(
        request,
        "frontend/showcase/form.html",
        {
            "form": AchievementForm(initial=initial),
            "owners": _owner_choices(request.user),
            "owner": owner,
            "outcome": outcome,
            "outcomes": selectors.outcomes_for(request.user),
        },
    )


@login_required
def edit(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    if request.method == "POST":
        form = AchievementForm(request.POST)

        def act(data) -> str:
            achievement_services.achievement_update(
                actor=request.user,
                achievement=achievement,
                ip_address=client_ip(request),
                **form.service_data(),
            )
            return _("The draft is saved.")

        return submit(request, form, act, then=reverse("showcase:detail", args=[pk]))
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
        {"form": AchievementForm(initial=initial), "achievement": achievement},
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
    achievement = selectors.achievement_for(request.user, pk)
    stored = get_object_or_404(AchievementFile, pk=file_id, achievement=achievement)

    def act() -> str:
        achievement_services.achievement_file_remove(
            actor=request.user, stored=stored, ip_address=client_ip(request)
        )
        return _("The file is removed.")

    return perform(request, act, then=reverse("showcase:detail", args=[pk]))


@login_required
def listing(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    current = getattr(achievement, "listing", None)
    if request.method == "POST":
        form = ListingForm(request.POST)

        def act(data) -> str:
            transfer.listing_save(
                actor=request.user, achievement=achievement, ip_address=client_ip(request), **data
            )
            return _("The transfer listing is saved.")

        return submit(request, form, act, then=reverse("showcase:detail", args=[pk]))
    initial = (
        {
            "maturity": current.maturity,
            "modes": current.modes,
            "price": current.price,
            "regions": current.regions,
            "industries": current.industries,
            "contact_name": current.contact_name,
            "contact_phone": current.contact_phone,
            "contact_email": current.contact_email,
            "is_active": current.is_active,
        }
        if current
        else {"contact_name": str(request.user), "is_active": True}
    )
    return render(
        request,
        "frontend/showcase/listing.html",
        {"achievement": achievement, "form": ListingForm(initial=initial)},
    )


@login_required
@require_POST
def inquiry_send(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    listing = getattr(achievement, "listing", None)
    if listing is None:
        raise Http404
    form = InquiryForm(request.POST)

    def act(data) -> Done:
        inquiry = transfer.inquiry_send(
            actor=request.user, listing=listing, ip_address=client_ip(request), **data
        )
        return Done(
            _("Your inquiry is sent. The owner has been notified."),
            reverse("showcase:inquiry", args=[inquiry.pk]),
        )

    return submit(request, form, act, then=reverse("showcase:detail", args=[pk]))


@login_required
def inquiries(request):
    page = Paginator(selectors.inquiries_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontend/showcase/inquiries.html", {"page": page})


@login_required
def inquiry(request, pk: int):
    item = selectors.inquiry_for(request.user, pk)
    user = request.user
    # Only the two parties get here (inquiry_for refuses everyone else); the room itself checks
    # membership again for every frame, history page and download.
    room = transfer.inquiry_thread(inquiry=item)
    statuses = [
        (value, label)
        for value, label in item.Status.choices
        if permissions.can_change_inquiry_status(user, item, value)
    ]
    return render(
        request,
        "frontend/showcase/inquiry.html",
        {
            "inquiry": item,
            "achievement": item.listing.achievement,
            "statuses": statuses,
            "is_owner": permissions.is_inquiry_owner(user, item),
            "case": getattr(item, "case", None),
            "can_record": permissions.can_record_case(user, item) and not hasattr(item, "case"),
            "case_form": CaseForm(initial={"mode": item.mode}),
            "topic_head": topic_head(item.topic),
            **room_context(request, room),
        },
    )


@login_required
@require_POST
def inquiry_status(request, pk: int):
    item = selectors.inquiry_for(request.user, pk)

    def act(data) -> str:
        transfer.inquiry_set_status(actor=request.user, inquiry=item, ip_address=client_ip(request), **data)
        return _("The status is updated.")

    return submit(request, InquiryStatusForm(request.POST), act, then=reverse("showcase:inquiry", args=[pk]))


@login_required
@require_POST
def inquiry_case(request, pk: int):
    item = selectors.inquiry_for(request.user, pk)

    def act(data) -> str:
        transfer.case_record(actor=request.user, inquiry=item, ip_address=client_ip(request), **data)
        return _("The transfer is recorded.")

    return submit(request, CaseForm(request.POST), act, then=reverse("showcase:inquiry", args=[pk]))


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


# Rounds ------------------------------------------------------------------------------------------


def rounds(request):
    return render(
        request,
        "frontend/showcase/rounds.html",
        {"rounds": selectors.rounds_for(request.user), "can_open": permissions.can_open_round(request.user)},
    )


@login_required
def round_open(request):
    if request.method == "POST":
        post = request.POST
        experts = list(
            get_user_model().objects.filter(
                username__in=[n.strip() for n in post.get("experts", "").split(",") if n.strip()]
            )
        )
        criteria = []
        for line in post.get("criteria", "").splitlines():
            name, _sep, weight = line.strip().rpartition(" ")
            if name and weight.isdigit():
                criteria.append((name, int(weight)))
        starts, ends = parse_date(post.get("starts_on", "") or ""), parse_date(post.get("ends_on", "") or "")

        def act() -> Done:
            if starts is None or ends is None:
                raise ValidationError(_("Give the schedule's dates."))
            opened = round_services.round_open(
                actor=request.user,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                description=post.get("description", ""),
                starts_on=starts,
                ends_on=ends,
                criteria=criteria,
                experts=experts,
                ip_address=client_ip(request),
            )
            return Done(_("The round is open."), reverse("showcase:round", args=[opened.pk]))

        return perform(request, act, then=reverse("showcase:round_open"))
    return render(request, "frontend/showcase/round_open.html", {"kinds": Round.Kind.choices})


def round_detail(request, pk: int):
    item = selectors.round_for(request.user, pk)
    manages = permissions.can_manage_round(request.user, item)
    ranking = selectors.round_ranking(item) if manages or item.status == Round.Status.PUBLISHED else []
    return render(
        request,
        "frontend/showcase/round.html",
        {
            "round": item,
            "criteria": list(item.criteria.all()),
            "experts": list(item.experts.all()),
            "manages": manages,
            "ranking": ranking,
            "suggested": selectors.suggested_results(item, ranking) if manages else {},
            "results": [("", _("No award"))]
            + [
                (a.value, a.label)
                for a in Award
                if a in round_services.RESULTS_BY_KIND[Round.Kind(item.kind)]
            ],
            "to_score": selectors.entries_to_score(request.user, item)
            if permissions.on_panel(request.user, item) and item.status == Round.Status.OPEN
            else [],
            "candidates": selectors.showcase_base()
            .exclude(round_entries__round=item)
            .order_by("-published_at")[:50]
            if manages and item.status == Round.Status.OPEN
            else [],
        },
    )


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    item = selectors.round_for(request.user, pk)
    post, ip = request.POST, client_ip(request)

    def act() -> str:
        if action == "entry":
            achievement = get_object_or_404(
                selectors.showcase_base(), pk=int(post.get("achievement", "0") or 0)
            )
            round_services.round_entry_add(
                actor=request.user, round=item, achievement=achievement, ip_address=ip
            )
            return _("The achievement is entered.")
        if action == "expert":
            expert = get_object_or_404(get_user_model(), username=post.get("username", ""))
            round_services.round_expert_add(actor=request.user, round=item, expert=expert, ip_address=ip)
            return _("The expert joins the panel.")
        if action == "score":
            entry = get_object_or_404(RoundEntry, pk=int(post.get("entry", "0") or 0), round=item)
            scores = [
                {
                    "criterion": c.pk,
                    "value": post.get(f"score-{c.pk}", ""),
                    "comment": post.get("comment", ""),
                }
                for c in item.criteria.all()
            ]
            round_services.round_score(actor=request.user, entry=entry, scores=scores, ip_address=ip)
            return _("Your scores are saved.")
        if action == "close":
            round_services.round_close(actor=request.user, round=item, ip_address=ip)
            return _("Scoring is closed.")
        if action == "publish":
            results = {
                int(key.removeprefix("result-")): value
                for key, value in post.items()
                if key.startswith("result-") and key.removeprefix("result-").isdigit()
            }
            round_services.round_publish(actor=request.user, round=item, results=results, ip_address=ip)
            return _("The results are published.")
        raise Http404

    return perform(request, act, then=reverse("showcase:round", args=[pk]))


def figures(request):
    data = selectors.showcase_figures()
    return render(
        request,
        "frontend/showcase/figures.html",
        {
            "figures": data,
            "type_chart": bar_chart(data.by_type),
            "award_chart": bar_chart(data.awards),
            "mode_chart": bar_chart(data.cases_by_mode),
        },
    )


def studio_record(request, pk: int):
    studio = get_object_or_404(Studio, pk=pk)
    record = selectors.studio_record(studio)
    return render(
        request,
        "frontend/showcase/studio_record.html",
        {"studio": studio, "record": record, "award_chart": bar_chart(record.awards)},
    )


urlpatterns = [
    path("showcase/", showcase_list, name="list"),
    path("showcase/mine/", mine, name="mine"),
    path("showcase/new/", create, name="create"),
    path("showcase/figures/", figures, name="figures"),
    path("showcase/<int:pk>/", detail, name="detail"),
    path("showcase/<int:pk>/edit/", edit, name="edit"),
    path("showcase/<int:pk>/files/", file_add, name="file_add"),
    path("showcase/<int:pk>/files/<int:file_id>/", file_download, name="file"),
    path("showcase/<int:pk>/files/<int:file_id>/remove/", file_remove, name="file_remove"),
    path("showcase/<int:pk>/listing/", listing, name="listing"),
    path("showcase/<int:pk>/inquire/", inquiry_send, name="inquire"),
    path("showcase/<int:pk>/<slug:action>/", state_action, name="state"),
    path("showcase/inquiries/", inquiries, name="inquiries"),
    path("showcase/inquiries/<int:pk>/", inquiry, name="inquiry"),
    path("showcase/inquiries/<int:pk>/status/", inquiry_status, name="inquiry_status"),
    path("showcase/inquiries/<int:pk>/case/", inquiry_case, name="inquiry_case"),
    path("showcase/rounds/", rounds, name="rounds"),
    path("showcase/rounds/new/", round_open, name="round_open"),
    path("showcase/rounds/<int:pk>/", round_detail, name="round"),
    path("showcase/rounds/<int:pk>/<slug:action>/", round_action, name="round_action"),
    path("showcase/studios/<int:pk>/record/", studio_record, name="studio_record"),
]
