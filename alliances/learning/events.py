"""The learning app's events, named once: audit actions (with their labels) and notification kinds.
Nothing here is live beyond what the core does: a notification reaches its reader's `user:<id>`
topic, and a live session's talk is its room's (alliances)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications import kinds as notification_kinds

COURSE_CREATED = "learning.course_created"
COURSE_UPDATED = "learning.course_updated"
COURSE_PUBLISHED = "learning.course_published"
LESSON_SAVED = "learning.lesson_saved"
LESSON_FILE_ADDED = "learning.lesson_file_added"
QUIZ_CHANGED = "learning.quiz_changed"
ENROLLED = "learning.enrolled"
COURSE_COMPLETED = "learning.course_completed"
SESSION_SCHEDULED = "learning.session_scheduled"
SESSION_SLIDES_ADDED = "learning.session_slides_added"
SESSION_RECORDING_ATTACHED = "learning.session_recording_attached"
# Notification kinds (the e-mail preference registry lists them).
SESSION_REMINDER = "learning.session_reminder"

register_action_labels(
    {
        COURSE_CREATED: _("Course created"),
        COURSE_UPDATED: _("Course edited"),
        COURSE_PUBLISHED: _("Course published"),
        LESSON_SAVED: _("Lesson saved"),
        LESSON_FILE_ADDED: _("Lesson file added"),
        QUIZ_CHANGED: _("Lesson quiz changed"),
        ENROLLED: _("Enrolled in a course"),
        COURSE_COMPLETED: _("Course completed"),
        SESSION_SCHEDULED: _("Live session scheduled"),
        SESSION_SLIDES_ADDED: _("Live session slides added"),
        SESSION_RECORDING_ATTACHED: _("Live session recording attached"),
    }
)


# Notification kinds (platform_core/notifications/kinds.py): how each goes by e-mail by default.
_LEARNING = _("Learning")
notification_kinds.register(
    "learning.session_reminder",
    _("Reminders of live lectures"),
    notification_kinds.EmailMode.SOON,
    group=_LEARNING,
)
notification_kinds.register("learning.course_completed", _("Courses completed"), group=_LEARNING)
