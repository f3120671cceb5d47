"""The public side of the showcase: the list with search and facets, an achievement's page and
its files, the figures and a studio's record. Selectors read, permissions give the flags."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from platform_core.http import anonymous_to_login
from platform_core.private_storage import private_file_response
from showcase import permissions, search, selectors
from showcase.models import AchievementFile
from showcase.selectors import ShowcaseFilters

from ..charts import bar_chart
from ..showcase_forms import InquiryForm, ReasonForm
from .forms_flow import form_for

PAGE_SIZE = 20


def _sorts() -> list[tuple[str, str]]:
    return [("relevance", _("Relevance")), ("newest", _("Newest")), ("benefit", _("Benefit"))]


def showcase_list(request):
    try:
        filters = ShowcaseFilters.from_params(request.GET)
    except ValidationError as error:
        # The same parser and the same 400 as the API: a malformed filter is named, not ignored.
        return render(
            request,
            "frontend/showcase/list.html",
            {
                "filters": ShowcaseFilters(),
                "filter_errors": [
                    f"{name}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                ],
                "personal": permissions.has_personal_showcase(request.user),
            },
            status=400,
        )
    window = selectors.showcase_window(filters)  # the matches' ids, read once for the whole page
    paginator = Paginator(selectors.showcase_results(filters, window), PAGE_SIZE)
    paginator.count = window.count  # counted already: no second count
    page = paginator.get_page(request.GET.get("page"))
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
        "facets": selectors.showcase_facets(filters, window),
        "more_than_window": window.more,
        "sorts": _sorts(),
        "query_string": params.urlencode(),
        "personal": permissions.has_personal_showcase(request.user),
    }
    template = "frontend/showcase/_results.html" if request.htmx else "frontend/showcase/list.html"
    return render(request, template, context)


def detail(request, pk: int):
    user = request.user
    achievement = selectors.achievement_for(user, pk)
    listing = selectors.listing_for(user, achievement)
    files = list(achievement.files.all())
    refusal = permissions.inquiry_refusal(user, listing) if listing else ""
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
            "inquiry_refusal": refusal,
            "inquiry_needs_login": bool(refusal) and permissions.inquiry_needs_login(user),
            "inquiry_form": form_for(
                request, InquiryForm, initial={"mode": listing.modes[0]} if listing else None
            ),
            "can_edit": permissions.can_edit_achievement(user, achievement),
            "can_publish": permissions.can_publish_achievement(user, achievement),
            "can_withdraw": permissions.can_withdraw_achievement(user, achievement),
            "can_list": permissions.can_list_for_transfer(user, achievement),
            "can_add_file": permissions.can_add_file(user, achievement),
            "can_remove_files": permissions.can_remove_file(user, achievement),
            "reason_form": ReasonForm(),
        },
    )


@anonymous_to_login
def file_download(request, pk: int, file_id: int):
    """The only way to read an achievement's file: access checked each time."""
    stored = selectors.achievement_file_for(request.user, pk, file_id)
    as_attachment = stored.kind != AchievementFile.Kind.IMAGE
    return private_file_response(stored.file, filename=stored.name, as_attachment=as_attachment)


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
    studio = selectors.studio_of_record(pk)
    record = selectors.studio_record(studio)
    return render(
        request,
        "frontend/showcase/studio_record.html",
        {"studio": studio, "record": record, "award_chart": bar_chart(record.awards)},
    )
