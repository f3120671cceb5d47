"""Transfer (成果转化): listings, inquiries with their statuses, the negotiation thread, and the
transfer case that records the outcome."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Room
from alliances.selectors import room_member_ids
from alliances.services.rooms import room_create, room_member_add, room_member_remove
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.text import clean_line, clean_plain_text

from .. import events, permissions
from ..models import Achievement, Inquiry, TransferCase, TransferListing
from .common import decimal_value, notify, required_amount, verbatim


def inquiry_url(inquiry: Inquiry) -> str:
    return f"/showcase/inquiries/{inquiry.pk}/"


def listing_save(
    *,
    actor,
    achievement: Achievement,
    maturity: int,
    modes: list[str],
    price=None,
    regions: str = "",
    industries: str = "",
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    is_active: bool = True,
    ip_address: str | None = None,
) -> TransferListing:
    """Create or update the transfer listing of a published achievement (price None: negotiable)."""
    if not permissions.can_list_for_transfer(actor, achievement):
        raise PermissionDenied(_("Only the owner's leader may list a published achievement for transfer."))
    if not isinstance(maturity, int) or not 1 <= maturity <= 9:
        raise ValidationError({"maturity": _("The maturity is a technology readiness level from 1 to 9.")})
    modes = [mode for mode in TransferListing.Mode.values if mode in set(modes or [])]
    if not modes:
        raise ValidationError({"modes": _("Offer at least one transfer mode.")})
    contact_name = clean_line(contact_name or "", max_length=60)
    if not contact_name:
        raise ValidationError({"contact_name": _("Name a contact.")})
    fields = {
        "maturity": maturity,
        **{f"mode_{mode}": mode in modes for mode in TransferListing.Mode.values},
        "price": decimal_value(price, field="price"),
        "regions": clean_line(regions or "", max_length=200),
        "industries": clean_line(industries or "", max_length=200),
        "contact_name": contact_name,
        "contact_phone": clean_line(contact_phone or "", max_length=40),
        "contact_email": clean_line(contact_email or "", max_length=254),
        "is_active": bool(is_active),
    }
    with transaction.atomic():
        listing, _created = TransferListing.objects.update_or_create(achievement=achievement, defaults=fields)
        audit_record(actor=actor, action=events.LISTING_SAVED, target=achievement, ip_address=ip_address)
    return listing


def inquiry_send(
    *,
    actor,
    listing: TransferListing,
    mode: str,
    message: str,
    organisation: str = "",
    ip_address: str | None = None,
) -> Inquiry:
    refusal = permissions.inquiry_refusal(actor, listing)
    if refusal:
        raise PermissionDenied(refusal)
    if mode not in listing.modes:
        raise ValidationError({"mode": _("Choose one of the modes this listing offers.")})
    message = clean_plain_text(message or "", max_length=4000)
    if not message:
        raise ValidationError({"message": _("Say what you would like to discuss.")})
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            listing=listing,
            inquirer=actor,
            mode=mode,
            message=message,
            organisation=clean_line(organisation or "", max_length=120)
            or (actor.unit.name if actor.unit_id else ""),
        )
        audit_record(actor=actor, action=events.INQUIRY_SENT, target=inquiry, ip_address=ip_address)
        events.emit_inquiry_status(inquiry)
        achievement = listing.achievement
        owner_lead = achievement.owner_lead
        with platform_language():
            notify(
                [owner_lead],
                kind=events.INQUIRY_SENT,
                title=lambda: _("New transfer inquiry about “%(title)s”") % {"title": achievement.title},
                body=verbatim(message[:200]),
                url=inquiry_url(inquiry),
            )
        inquiry_open_thread(inquiry=inquiry)
    return inquiry


def inquiry_open_thread(*, inquiry: Inquiry) -> None:
    """Open the private negotiation thread of an inquiry: the one place it is created.

    The thread is a private room of the alliances chat (live, with history, attachments and unread
    counts) whose only members are the inquirer and the owner's lead; the room enforces that
    membership for every read and write, so the showcase adds no permission of its own to it.
    """
    achievement = inquiry.listing.achievement
    with platform_language():
        title = _("Negotiation: %(title)s") % {"title": achievement.title}
    inquiry.room = room_create(title=title, members=[inquiry.inquirer, achievement.owner_lead])
    inquiry.thread_opened_at = timezone.now()
    inquiry.save(update_fields=["room", "thread_opened_at"])
    audit_record(actor=inquiry.inquirer, action=events.INQUIRY_THREAD_OPENED, target=inquiry)


def inquiry_thread(*, inquiry: Inquiry) -> Room:
    """The inquiry's negotiation room, its members brought in line with who speaks for the owner now.

    The owner's lead can change after the inquiry (a team lead hands over, a studio gets a new
    leader): the new lead joins the thread and the former one leaves it, their open tabs cut off at
    once. This runs whenever a party opens the inquiry, so until then the former lead keeps the
    room (docs/showcase.md, "The negotiation thread"). Inquiries sent before the chat existed get
    their room here on first view.
    """
    with transaction.atomic():
        inquiry = _locked_inquiry(inquiry)
        if inquiry.room is None:
            inquiry_open_thread(inquiry=inquiry)
            assert inquiry.room is not None
            return inquiry.room
        room = inquiry.room
        owner_lead = inquiry.listing.achievement.owner_lead
        wanted = {inquiry.inquirer.pk: inquiry.inquirer, owner_lead.pk: owner_lead}
        present = set(room_member_ids(room))
        for user_id, user in wanted.items():
            if user_id not in present:
                room_member_add(room=room, user=user)
        User = get_user_model()
        for former in User.objects.filter(pk__in=present - wanted.keys()):
            room_member_remove(room=room, user=former)
    return room


def _locked_inquiry(inquiry: Inquiry) -> Inquiry:
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related(
            "listing__achievement__studio__leader", "listing__achievement__team__lead", "inquirer", "room"
        )
        .get(pk=inquiry.pk)
    )


def inquiry_set_status(
    *, actor, inquiry: Inquiry, status: str, note: str = "", ip_address: str | None = None
) -> Inquiry:
    if status not in Inquiry.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        inquiry = _locked_inquiry(inquiry)
        if not permissions.can_see_inquiry(actor, inquiry):
            raise PermissionDenied(_("This inquiry is between its inquirer and the owner."))
        if not permissions.can_change_inquiry_status(actor, inquiry, status):
            raise ValidationError(_("This status change is not possible now."))
        previous = inquiry.status
        inquiry.status = status
        inquiry.status_note = clean_plain_text(note or "", max_length=2000)
        inquiry.save(update_fields=["status", "status_note", "updated_at"])
        audit_record(
            actor=actor,
            action=events.INQUIRY_STATUS_CHANGED,
            target=inquiry,
            ip_address=ip_address,
            data={"from": previous, "to": status},
        )
        events.emit_inquiry_status(inquiry)
        achievement = inquiry.listing.achievement
        owner_lead = achievement.owner_lead
        other = inquiry.inquirer if actor.pk == owner_lead.pk else owner_lead
        with platform_language():
            notify(
                [other],
                kind=events.INQUIRY_STATUS_CHANGED,
                title=lambda: (
                    _("Inquiry about “%(title)s”: %(status)s")
                    % {"title": achievement.title, "status": inquiry.get_status_display()}
                ),
                body=verbatim(inquiry.status_note),
                url=inquiry_url(inquiry),
            )
    return inquiry


def case_record(
    *,
    actor,
    inquiry: Inquiry,
    value,
    concluded_on: datetime.date,
    mode: str = "",
    note: str = "",
    ip_address: str | None = None,
) -> TransferCase:
    """Record the outcome of an agreed inquiry as a transfer case (counted in the statistics)."""
    with transaction.atomic():
        inquiry = _locked_inquiry(inquiry)
        if not permissions.can_see_inquiry(actor, inquiry):
            raise PermissionDenied(_("This inquiry is between its inquirer and the owner."))
        if not permissions.can_record_case(actor, inquiry):
            raise ValidationError(_("Record the outcome once the inquiry is agreed."))
        if TransferCase.objects.filter(inquiry=inquiry).exists():
            raise ValidationError(_("The outcome of this inquiry is already recorded."))
        mode = mode or inquiry.mode
        if mode not in TransferListing.Mode.values:
            raise ValidationError({"mode": _("Unknown transfer mode.")})
        if concluded_on > timezone.localdate():
            raise ValidationError({"concluded_on": _("A transfer is recorded once it is concluded.")})
        case = TransferCase.objects.create(
            inquiry=inquiry,
            mode=mode,
            value=required_amount(value, field="value"),
            concluded_on=concluded_on,
            note=clean_plain_text(note or "", max_length=4000),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=events.CASE_RECORDED,
            target=inquiry,
            ip_address=ip_address,
            data={"value": str(case.value)},
        )
        events.emit_case_recorded(case)
        achievement = inquiry.listing.achievement
        owner_lead = achievement.owner_lead
        with platform_language():
            notify(
                [inquiry.inquirer, owner_lead],
                kind=events.CASE_RECORDED,
                title=lambda: _("Transfer of “%(title)s” recorded") % {"title": achievement.title},
                url=inquiry_url(inquiry),
            )
    return case
