"""Transfer from the pages: an achievement's listing, inquiries, their status and the recorded
transfer. The negotiation thread is the alliances chat pane (frontend/chat.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_core.http import client_ip
from platform_core.realtime.selectors import topic_head
from showcase import permissions, selectors
from showcase.services import transfer

from ..chat import room_context
from ..showcase_forms import CaseForm, InquiryForm, InquiryStatusForm, ListingForm
from .forms_flow import Done, form_for, submit

PAGE_SIZE = 20


@login_required
def listing(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    # The form shows the stored contact details: only who may list the achievement opens it.
    if not permissions.can_list_for_transfer(request.user, achievement):
        raise PermissionDenied(_("Only the owner's leader may list a published achievement for transfer."))
    if request.method == "POST":

        def act(data) -> Done:
            transfer.listing_save(
                actor=request.user, achievement=achievement, ip_address=client_ip(request), **data
            )
            return Done(_("The transfer listing is saved."), reverse("showcase:detail", args=[pk]))

        # A refused listing comes back to this form with each error beside its field.
        return submit(request, ListingForm(request.POST), act, then=reverse("showcase:listing", args=[pk]))
    # The owner's lead edits it: they see the stored contact details.
    current = selectors.listing_for(request.user, achievement)
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
        {"achievement": achievement, "form": form_for(request, ListingForm, initial=initial)},
    )


@login_required
@require_POST
def inquiry_send(request, pk: int):
    achievement = selectors.achievement_for(request.user, pk)
    if getattr(achievement, "listing", None) is None:
        raise Http404

    def act(data) -> Done:
        inquiry = transfer.inquiry_send(
            actor=request.user, listing=achievement.listing, ip_address=client_ip(request), **data
        )
        return Done(
            _("Your inquiry is sent. The owner has been notified."),
            reverse("showcase:inquiry", args=[inquiry.pk]),
        )

    return submit(request, InquiryForm(request.POST), act, then=reverse("showcase:detail", args=[pk]))


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
    statuses = permissions.inquiry_statuses(user, item)
    return render(
        request,
        "frontend/showcase/inquiry.html",
        {
            "inquiry": item,
            "achievement": item.listing.achievement,
            "status_form": form_for(request, InquiryStatusForm, statuses=statuses) if statuses else None,
            "case": getattr(item, "case", None),
            "can_record": permissions.can_record_case(user, item) and not hasattr(item, "case"),
            "case_form": form_for(request, CaseForm, initial={"mode": item.mode}),
            "topic_head": topic_head(item.topic),
            **room_context(request, room),
        },
    )


@login_required
@require_POST
def inquiry_status(request, pk: int):
    item = selectors.inquiry_for(request.user, pk)
    form = InquiryStatusForm(request.POST, statuses=permissions.inquiry_statuses(request.user, item))

    def act(data) -> str:
        transfer.inquiry_set_status(actor=request.user, inquiry=item, ip_address=client_ip(request), **data)
        return _("The status is updated.")

    return submit(request, form, act, then=reverse("showcase:inquiry", args=[pk]))


@login_required
@require_POST
def inquiry_case(request, pk: int):
    item = selectors.inquiry_for(request.user, pk)

    def act(data) -> str:
        transfer.case_record(actor=request.user, inquiry=item, ip_address=client_ip(request), **data)
        return _("The transfer is recorded.")

    return submit(request, CaseForm(request.POST), act, then=reverse("showcase:inquiry", args=[pk]))
