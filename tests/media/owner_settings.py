"""The platform's settings with the tests' media owner mounted (tests/media/owner.py), for the
daphne process of the browser test."""

from platform_core.settings import *  # noqa: F403

ROOT_URLCONF = "tests.media.owner"
