"""Who sees and may do what with a consultation, for every role of the cast: the one rule
(alliances/consulting/permissions.py) through the pages and the API alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from alliances.consulting import permissions, selectors, services
from alliances.consulting.models import Consultation
from alliances.permissions import is_room_member
from platform_core.accounts.committees import committee_seat_grant
from platform_core.orgs.models import Studio, StudioMembership
from tests.cast import FOUNDED, ROLES

OVERSEERS = ("superadmin", "admin", "admin2")
CHAIR = "poster2"

# Who reads each consultation of the world (tests/consulting/world.py).
READERS = {
    # leader1 asked for studio1; `expert` sits on the committee with no tie (the pool); `recused`
    # sits on it but works in unit A, the asker's: not in the pool.
    "waiting": {"leader1", "expert", CHAIR, *OVERSEERS},
    # member asked for themselves (their studio's leader does not read it); expert has it.
    "taken": {"member", "expert", CHAIR, *OVERSEERS},
    "closed": {"outsider", "expert", CHAIR, *OVERSEERS},
    # The IP committee has no chair; panelist answered it.
    "published": {"leader2", "panelist", *OVERSEERS},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", list(READERS))
def test_who_reads_a_consultation_on_the_page_and_the_api(client, world, cast, role, which):
    consultation = getattr(world, which)
    user = getattr(cast, role)
    allowed = role in READERS[which]
    assert permissions.can_see_consultation(user, consultation) is allowed
    client.force_login(user)
    page = client.get(reverse("consulting:detail", args=[consultation.pk]))
    assert page.status_code == (200 if allowed else 404)
    api = APIClient()
    api.force_authenticate(user)
    answer = api.get(reverse("api-consultation", args=[consultation.pk]))
    assert answer.status_code == (200 if allowed else 404)
    if allowed:
        assert answer.json()["title"] == consultation.title


@pytest.mark.django_db
def test_anonymous_visitors_read_no_consultation(client, world):
    page = client.get(reverse("consulting:detail", args=[world.waiting.pk]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))
    assert APIClient().get(reverse("api-consultation", args=[world.waiting.pk])).status_code == 403
    assert APIClient().get(reverse("api-consultations")).status_code == 403


@pytest.mark.django_db
def test_a_missing_consultation_and_someone_elses_answer_alike(client, world, cast):
    client.force_login(cast.outsider)
    missing = client.get(reverse("consulting:detail", args=[99999]))
    hidden = client.get(reverse("consulting:detail", args=[world.waiting.pk]))
    assert missing.status_code == hidden.status_code == 404
    api = APIClient()
    api.force_authenticate(cast.outsider)
    assert (
        api.get(reverse("api-consultation", args=[99999])).json()
        == api.get(reverse("api-consultation", args=[world.waiting.pk])).json()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_pool_list_and_the_take_rule_agree(world, cast, role):
    user = getattr(cast, role)
    pool = {item.pk for item in selectors.takeable_by(user)}
    everything = Consultation.objects.all()
    assert pool == {item.pk for item in everything if permissions.may_take(user, item)}
    assert pool == ({world.waiting.pk} if role == "expert" else set())
    # The list of one's consultations and the pool together are exactly what one may read.
    mine = {item.pk for item in selectors.consultations_of(user)}
    assert mine | pool == {item.pk for item in everything if permissions.can_see_consultation(user, item)}


@pytest.mark.django_db
def test_a_conflicted_expert_neither_takes_nor_is_offered_to_the_chair(world, cast):
    with pytest.raises(PermissionDenied):
        services.consultation_take(actor=cast.recused, consultation=world.waiting)
    choices = services.assign_choices(world.waiting)
    assert [user.pk for user in choices] == [cast.expert.pk]
    with pytest.raises(ValidationError):
        services.consultation_assign(actor=cast.poster2, consultation=world.waiting, expert=cast.recused)


@pytest.mark.django_db
def test_an_expert_tied_to_the_asking_studio_is_conflicted_whatever_their_unit(world, cast):
    # leader2 (unit B) joins studio1 and sits on the committee: a member of the asking studio.
    StudioMembership.objects.create(studio=cast.studio1, user=cast.leader2, joined_on=FOUNDED)
    committee_seat_grant(user=cast.leader2, code="technical")
    assert permissions.is_conflicted(cast.leader2, world.waiting)
    assert not permissions.may_take(cast.leader2, world.waiting)
    assert cast.leader2.pk not in {user.pk for user in services.assign_choices(world.waiting)}


@pytest.mark.django_db
def test_an_expert_not_on_the_committee_cannot_take(world, cast):
    # panelist sits on the IP committee only; nor may anyone take a question already taken.
    with pytest.raises(Http404):
        selectors.consultation_for(cast.panelist, world.waiting.pk)
    with pytest.raises(PermissionDenied):
        services.consultation_take(actor=cast.panelist, consultation=world.waiting)
    with pytest.raises(ValidationError):
        services.consultation_take(actor=cast.expert, consultation=world.taken)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_or_a_union_admin_assigns(world, cast, role):
    user = getattr(cast, role)
    allowed = role in (CHAIR, *OVERSEERS)
    assert permissions.can_assign(user, world.waiting) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.consultation_assign(actor=user, consultation=world.waiting, expert=cast.expert)


@pytest.mark.django_db
def test_the_chair_assigns_and_the_thread_opens_for_asker_and_expert_only(world, cast):
    consultation = services.consultation_assign(
        actor=cast.poster2, consultation=world.waiting, expert=cast.expert
    )
    assert consultation.status == Consultation.Status.TAKEN and consultation.expert == cast.expert
    room = consultation.room
    assert is_room_member(cast.leader1, room) and is_room_member(cast.expert, room)
    for other in (cast.poster2, cast.admin, cast.recused, cast.member):
        assert not is_room_member(other, room)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_expert_who_has_it_answers(world, cast, role):
    user = getattr(cast, role)
    if role == "expert":
        services.consultation_answer(actor=user, consultation=world.taken, answer="换用低氢焊条并烘干。")
        assert Consultation.objects.get(pk=world.taken.pk).status == Consultation.Status.CLOSED
    else:
        with pytest.raises(PermissionDenied):
            services.consultation_answer(actor=user, consultation=world.taken, answer="我来回答")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_asker_rates_and_publishes(world, cast, role):
    user = getattr(cast, role)
    if role == "outsider":
        services.consultation_rate(actor=user, consultation=world.closed, rating=5, comment="很好")
        services.consultation_publish(actor=user, consultation=world.closed)
        return
    with pytest.raises(PermissionDenied):
        services.consultation_rate(actor=user, consultation=world.closed, rating=5)
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=user, consultation=world.closed)


@pytest.mark.django_db
def test_the_studios_new_leader_reads_what_was_asked_for_the_studio(world, cast):
    assert not permissions.can_see_consultation(cast.leader2, world.waiting)
    Studio.objects.filter(pk=cast.studio1.pk).update(leader=cast.leader2)
    assert permissions.can_see_consultation(cast.leader2, Consultation.objects.get(pk=world.waiting.pk))
    # A studio member who is not its leader never reads it.
    assert not permissions.can_see_consultation(cast.member, world.waiting)


@pytest.mark.django_db
def test_files_are_read_by_who_reads_the_consultation(client, world, cast):
    url = reverse("consulting:file", args=[world.waiting.pk, world.file.pk])
    for role in ROLES:
        client.force_login(getattr(cast, role))
        response = client.get(url)
        assert response.status_code == (200 if role in READERS["waiting"] else 404), role
        if response.status_code == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
