"""platform_core.realtime.testing.capture_events: what a service published, checked."""

from __future__ import annotations

import pytest
from django.db import transaction

from platform_core.realtime.models import Event
from platform_core.realtime.services import close_session_sockets_on_commit, emit, recheck_user_on_commit
from platform_core.realtime.testing import PublishedEvent, SocketMessage, capture_events


def test_it_records_events_and_socket_messages_in_order(cast):
    topic = cast.studio1.topic
    with capture_events() as captured:
        emit(topic, "studio.news", {"text": "新闻"})
        recheck_user_on_commit(cast.member.pk)
        emit(topic, "studio.member_removed", {"user_id": cast.member.pk}, revoke=[cast.member.pk])
        close_session_sockets_on_commit(cast.member.pk, "abc")
    assert captured.published == [
        PublishedEvent(topic, 1, "studio.news", {"text": "新闻"}, ()),
        SocketMessage("recheck_user", cast.member.pk),
        PublishedEvent(topic, 2, "studio.member_removed", {"user_id": cast.member.pk}, (cast.member.pk,)),
        SocketMessage("close_session", cast.member.pk, "abc"),
    ]
    assert captured.names() == ["studio.news", "studio.member_removed"]
    assert [event.seq for event in captured.on(topic)] == [1, 2]


def test_nothing_is_published_for_a_rolled_back_transaction(cast):
    with capture_events() as captured:
        try:
            with transaction.atomic():
                emit(cast.studio1.topic, "studio.news", {})
                raise RuntimeError("the service failed after emitting")
        except RuntimeError:
            pass
    assert captured.published == []


def test_a_published_event_that_differs_from_the_stored_one_fails_the_test(cast):
    with pytest.raises(AssertionError, match="a replay would differ"), capture_events():
        event = emit(cast.studio1.topic, "studio.news", {"text": "live"})
        Event.objects.filter(pk=event.pk).update(data={"text": "stored"})


@pytest.mark.django_db(transaction=True)
def test_it_works_in_transactional_tests_too(tcast):
    with capture_events() as captured:
        emit(tcast.studio1.topic, "studio.news", {})
    assert captured.names() == ["studio.news"]
