"""Parts of a studio's page that the domains fill, reaching the core through one registry.

The studio page shows everything the platform knows of a studio: the challenges it won, its
achievements and transfers, its alliances, teams and mentor pairs, its assessments and titles. The
page lives with the core, which imports no domain app; each app registers a section here in its
AppConfig.ready(): a template (in the app's own templates/ directory) and a function that gives its
context for one viewer and one studio, or None when there is nothing to show that viewer.

    register_studio_section(StudioSection(
        key="challenges", title=_("Challenges"), template="challenges/studio_section.html",
        context=lambda viewer, studio: {...}, order=30,
    ))

The context function decides what the viewer may see (it asks the app's own permissions), and
costs a fixed number of queries. Orders in use: 30 challenges, 40 showcase, 50 alliances, teams
and mentor pairs. Assessments and titles over the years belong to the core itself
(platform_core/orgs/naming), which the page shows through its own `studio_titles` tag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class StudioSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[[Any, Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    template: str
    context: dict


_sections: dict[str, StudioSection] = {}


def register_studio_section(section: StudioSection) -> StudioSection:
    if section.key in _sections:
        raise ImproperlyConfigured(f"studio section {section.key!r} is already registered")
    _sections[section.key] = section
    return section


def unregister_studio_section(key: str) -> None:
    """Forget a section (tests register sections for one test)."""
    _sections.pop(key, None)


def registered_studio_sections() -> list[StudioSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def studio_sections(viewer, studio) -> list[ShownSection]:
    """The sections with something to show this viewer, in order."""
    shown = []
    for section in registered_studio_sections():
        context = section.context(viewer, studio)
        if context is not None:
            shown.append(
                ShownSection(
                    key=section.key, title=str(section.title), template=section.template, context=context
                )
            )
    return shown
