"""The demo showcase: every type, one from the accepted demo challenge, awards, listings, an
inquiry in discussion between poster and leader1; idempotent."""

from __future__ import annotations

from alliances.models import Message
from alliances.selectors import room_member_ids
from platform_core.demo import seed_demo
from showcase.models import Achievement, Inquiry, Round, RoundEntry, TransferListing


def test_the_demo_showcase_is_complete_and_can_run_twice(db):
    seed_demo()
    counts = (Achievement.objects.count(), Round.objects.count(), Inquiry.objects.count())
    published = Achievement.objects.filter(state=Achievement.State.PUBLISHED)
    assert published.count() >= 24
    assert set(published.values_list("type", flat=True)) == set(Achievement.Type.values)
    assert published.filter(source_outcome__isnull=False).exists()
    assert Achievement.objects.filter(state=Achievement.State.DRAFT).exists()
    assert RoundEntry.objects.filter(round__status=Round.Status.PUBLISHED, result="first").count() == 1
    assert Round.objects.filter(kind=Round.Kind.APPRAISAL, status=Round.Status.OPEN).exists()
    assert TransferListing.objects.count() >= 10
    inquiry = Inquiry.objects.get()
    assert inquiry.inquirer.username == "poster"
    assert inquiry.listing.achievement.owner_lead.username == "leader1"
    assert inquiry.status == Inquiry.Status.DISCUSSING
    assert inquiry.room is not None
    assert set(room_member_ids(inquiry.room)) == {
        inquiry.inquirer_id,
        inquiry.listing.achievement.owner_lead_id,
    }
    senders = set(Message.objects.filter(room=inquiry.room).values_list("sender__username", flat=True))
    assert senders == {"poster", "leader1"}
    messages = Message.objects.filter(room=inquiry.room).count()
    seed_demo()
    assert (Achievement.objects.count(), Round.objects.count(), Inquiry.objects.count()) == counts
    assert Message.objects.filter(room=inquiry.room).count() == messages
