"""Who may see and do what with courses (each rule once; services, selectors, pages and the API ask
here).

- The catalogue is public: a published course is seen by anyone, anonymous visitors included; a
  draft by its author and the union admins (`courses_visible_filter` / `can_see_course`).
- Lessons, their files and media, live sessions and enrolments need an account: a signed-in user
  reads the lessons of every course they may see (`lessons_visible_filter` / `can_read_lessons`).
- A course is published by the leader of an active studio (for that studio), an active expert or a
  union admin (`publisher_choices`); its author and the union admins edit it (`can_edit_course`).
- A signed-in user enrols in a published course (`can_enrol`).
- A person's learning record is read by themself, the union admins over their unit and the
  leaders of their studios (`can_view_record`).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from platform_core.accounts.models import ExpertProfile
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import admin_covers_unit, is_union_admin

from .models import Course, Lesson


def courses_visible_filter(user) -> Q:
    published = Q(state=Course.State.PUBLISHED)
    if not user.is_authenticated:
        return published
    if is_union_admin(user):
        return Q()
    return published | Q(author=user)


def can_see_course(user, course: Course) -> bool:
    if course.is_published:
        return True  # the filter plainly admits it
    return Course.objects.filter(courses_visible_filter(user), pk=course.pk).exists()


def lessons_visible_filter(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(course__in=Course.objects.filter(courses_visible_filter(user)).values("pk"))


def can_read_lessons(user, course: Course) -> bool:
    return user.is_authenticated and can_see_course(user, course)


def can_read_lesson(user, lesson: Lesson) -> bool:
    return Lesson.objects.filter(lessons_visible_filter(user), pk=lesson.pk).exists()


def can_edit_course(user, course: Course) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return course.author_id == user.pk or is_union_admin(user)


def can_enrol(user, course: Course) -> bool:
    return user.is_authenticated and user.is_active and course.is_published


def is_active_expert(user) -> bool:
    return user.is_authenticated and ExpertProfile.objects.filter(user=user, active=True).exists()


def studios_led(user):
    if not user.is_authenticated:
        return Studio.objects.none()
    return Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE).order_by("name")


def publisher_choices(user) -> list[tuple[str, str]]:
    """Who `user` may publish a course as: ("studio:<id>", name) per active studio they lead,
    ("expert", …) as an active expert, ("union", …) as a union admin. Empty: may not publish."""
    if not user.is_authenticated or not user.is_active:
        return []
    choices = [(f"studio:{studio.pk}", studio.name) for studio in studios_led(user)]
    if is_active_expert(user):
        choices.append(("expert", _("Myself, as an expert")))
    if is_union_admin(user):
        choices.append(("union", _("The union")))
    return choices


def can_publish_as(user, publisher: str, studio: Studio | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if publisher == Course.Publisher.STUDIO:
        return studio is not None and studio.is_active and studio.leader_id == user.pk
    if publisher == Course.Publisher.EXPERT:
        return is_active_expert(user)
    if publisher == Course.Publisher.UNION:
        return is_union_admin(user)
    return False


def can_view_record(viewer, person) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    if person.unit_id is not None and admin_covers_unit(viewer, person.unit):
        return True
    return Studio.objects.filter(leader=viewer, memberships__user=person).exists()
