"""A draft is never visible anonymously: not in the list, search, facet counts, the API, related
achievements, nor its page. Inquiries are private to their two parties, for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from showcase import selectors
from showcase.selectors import ShowcaseFilters
from showcase.services import transfer
from tests.cast import ROLES

pytestmark = pytest.mark.django_db


def test_a_draft_is_nowhere_in_the_public_showcase(client, published, draft):
    assert draft.title not in client.get(reverse("showcase:list")).content.decode()
    assert draft.title not in client.get(reverse("showcase:list"), {"search": "秘密"}).content.decode()
    facets = selectors.showcase_facets(ShowcaseFilters(query="秘密"))
    assert all(value.count == 0 for facet in facets for value in facet.values)
    assert selectors.showcase_results(ShowcaseFilters(query="秘密")).count() == 0
    api = client.get("/api/v1/achievements/", {"search": "秘密"}).json()
    assert api["count"] == 0
    assert client.get(f"/api/v1/achievements/{draft.pk}/").status_code == 404
    assert client.get(reverse("showcase:detail", args=[draft.pk])).status_code == 404
    assert draft not in selectors.related_achievements(published)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_draft(client, cast, draft, role):
    client.force_login(getattr(cast, role))
    status = client.get(reverse("showcase:detail", args=[draft.pk])).status_code
    # The owner's members (leader1, member), the admins over unit A and the superuser.
    assert status == (200 if role in {"superadmin", "admin", "leader1", "member"} else 404)


@pytest.fixture
def listed(cast, published):
    transfer.listing_save(
        actor=cast.leader1, achievement=published, maturity=6, modes=["licence"], contact_name="王建国"
    )
    published.refresh_from_db()
    return published


@pytest.mark.parametrize("role", ROLES)
def test_who_may_send_an_inquiry(cast, listed, role):
    from django.core.exceptions import PermissionDenied

    user = getattr(cast, role)
    send = lambda: transfer.inquiry_send(actor=user, listing=listed.listing, mode="licence", message="想了解")  # noqa: E731
    if role in {"leader1", "member"}:  # the owner's side does not inquire about its own
        with pytest.raises(PermissionDenied):
            send()
    else:
        assert send().status == "new"


@pytest.mark.parametrize("role", ROLES)
def test_an_inquiry_is_private_to_its_two_parties(client, cast, listed, role):
    inquiry = transfer.inquiry_send(
        actor=cast.poster, listing=listed.listing, mode="licence", message="想了解"
    )
    client.force_login(getattr(cast, role))
    status = client.get(reverse("showcase:inquiry", args=[inquiry.pk])).status_code
    assert status == (200 if role in {"poster", "leader1"} else 404)
    api = client.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code
    assert api == (200 if role in {"poster", "leader1"} else 404)


def test_the_inquiry_flow_to_a_recorded_case(cast, listed):
    import datetime

    from django.core.exceptions import ValidationError

    inquiry = transfer.inquiry_send(
        actor=cast.poster, listing=listed.listing, mode="licence", message="想了解"
    )
    assert inquiry.thread_opened_at is not None
    with pytest.raises(ValidationError):
        transfer.inquiry_set_status(actor=cast.poster, inquiry=inquiry, status="agreed")
    transfer.inquiry_set_status(actor=cast.leader1, inquiry=inquiry, status="discussing")
    transfer.inquiry_set_status(actor=cast.leader1, inquiry=inquiry, status="agreed")
    case = transfer.case_record(
        actor=cast.poster, inquiry=inquiry, value="500000", concluded_on=datetime.date.today()
    )
    assert selectors.showcase_figures().case_value == case.value


def test_anonymous_inquiry_needs_a_login(client, listed):
    response = client.post(
        f"/api/v1/achievements/{listed.pk}/inquiries/", {"mode": "licence", "message": "x"}
    )
    assert response.status_code in (401, 403)


def test_the_api_is_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/achievements/" in schema and "search" in schema
