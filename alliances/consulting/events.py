"""The events of consultations, named once: audit actions (with their labels) and notification
kinds (the same strings). Consultations have no live topic of their own: the talk is the room's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications import kinds as notification_kinds

ASKED = "consulting.asked"
TAKEN = "consulting.taken"
ASSIGNED = "consulting.assigned"
ESCALATED = "consulting.escalated"
ANSWERED = "consulting.answered"
WITHDRAWN = "consulting.withdrawn"
RATED = "consulting.rated"
PUBLISHED = "consulting.published"

# Notification kinds (each also an audit action above).
NOTIFICATION_KINDS = (ASKED, TAKEN, ASSIGNED, ESCALATED, ANSWERED, RATED, PUBLISHED)

register_action_labels(
    {
        ASKED: _("Question asked of a committee"),
        TAKEN: _("Question taken by an expert"),
        ASSIGNED: _("Question assigned by the chair"),
        ESCALATED: _("Question sent to the committee's chair"),
        ANSWERED: _("Question answered and closed"),
        WITHDRAWN: _("Question withdrawn"),
        RATED: _("Answer rated"),
        PUBLISHED: _("Consultation published as public Q&A"),
    }
)


# Notification kinds (platform_core/notifications/kinds.py): how each goes by e-mail by default.
_CONSULTING = _("Expert consultation")
_SOON = notification_kinds.EmailMode.SOON
notification_kinds.register("consulting.asked", _("Questions to my committees"), _SOON, group=_CONSULTING)
notification_kinds.register("consulting.assigned", _("Questions assigned to me"), _SOON, group=_CONSULTING)
notification_kinds.register(
    "consulting.escalated", _("Questions waiting for me as chair"), _SOON, group=_CONSULTING
)
notification_kinds.register("consulting.taken", _("My questions taken by an expert"), group=_CONSULTING)
notification_kinds.register("consulting.answered", _("Answers to my questions"), _SOON, group=_CONSULTING)
notification_kinds.register("consulting.rated", _("Ratings of my answers"), group=_CONSULTING)
notification_kinds.register("consulting.published", _("My consultations published as Q&A"), group=_CONSULTING)
