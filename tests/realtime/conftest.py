from __future__ import annotations

import contextlib

import pytest

from platform_core.realtime.testing import registered_frame_handler, registered_topic_kind


@pytest.fixture
def topic_kind():
    """`topic_kind("pinboard", authorize=…)`: a topic kind registered for this test only."""
    with contextlib.ExitStack() as stack:

        def register(prefix: str, *, authorize=lambda user, key: None, **options) -> str:
            stack.enter_context(registered_topic_kind(prefix, authorize=authorize, **options))
            return prefix

        yield register


@pytest.fixture
def frame_handler():
    """`frame_handler("poke", handler, topic_kinds=["pinboard"])`: a client frame type registered
    for this test only."""
    with contextlib.ExitStack() as stack:

        def register(frame_type: str, handler, **options) -> str:
            stack.enter_context(registered_frame_handler(frame_type, handler, **options))
            return frame_type

        yield register
