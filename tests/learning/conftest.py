"""The cast, extended for learning: courses, lessons and quizzes made through the services."""

from __future__ import annotations

import pytest

from tests.learning.world import LearningWorld, make_learning_world


@pytest.fixture
def world(cast) -> LearningWorld:
    return make_learning_world(cast)
